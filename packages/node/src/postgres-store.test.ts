import { runStoreContract } from "@patron/core/testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "./postgres/test-server.js";
import { PostgresStore } from "./postgres-store.js";

let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("PostgresStore contract", () => {
  runStoreContract(it, async () =>
    PostgresStore.open({ connectionString: await server.createDatabase() }),
  );
});
