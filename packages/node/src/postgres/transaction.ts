import type pg from "pg";
import { toStoreError } from "./errors.js";

/**
 * Runs `work` between BEGIN and COMMIT on one pooled connection, rolling back when it throws.
 * The connection goes back to the pool only if it is still healthy. Failing to connect, begin or
 * commit becomes `store_unavailable` (see {@link toStoreError}); what `work` throws is rethrown
 * as it is.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw toStoreError(error);
  });
  // A checked-out client has no listener of the pool's: if the server ends the connection while
  // this code runs JavaScript between two queries, the client emits "error", and an unheard
  // "error" event would crash the process. The next query on it fails and ends up below.
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  const control = (command: string) =>
    client.query(command).catch((error: unknown) => {
      throw toStoreError(error);
    });
  try {
    await control("BEGIN");
    const result = await work(client);
    await control("COMMIT");
    return result;
  } catch (error) {
    if (!broken) await client.query("ROLLBACK").catch(onError);
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}
