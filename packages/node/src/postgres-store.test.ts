import { createStore, LIMITS, type PatronError, upsertCustomer } from "@patron/core";
import { runStoreContract } from "@patron/core/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "./postgres/test-server.js";
import { PostgresStore } from "./postgres-store.js";

let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Several stores on one database, each with its own pool: servers in miniature. */
async function openServers(url: string, count: number): Promise<PostgresStore[]> {
  return Promise.all(
    Array.from({ length: count }, () => PostgresStore.open({ connectionString: url, poolSize: 4 })),
  );
}

describe("PostgresStore contract", () => {
  runStoreContract(it, async () =>
    PostgresStore.open({ connectionString: await server.createDatabase() }),
  );
});

describe("PostgresStore schema", () => {
  it("migrates a fresh database once when several servers open it at the same moment", async () => {
    const url = await server.createDatabase();
    const stores = await openServers(url, 6);
    await Promise.all(stores.map((store) => store.close()));
    const applied = await query<{ version: number }>(
      url,
      "SELECT version FROM patron.schema_migrations ORDER BY version",
    );
    expect(applied.map((row) => row.version)).toEqual([1]);
  });

  it("refuses a database that a newer Patron migrated", async () => {
    const url = await server.createDatabase();
    await (await PostgresStore.open({ connectionString: url })).close();
    await query(url, "INSERT INTO patron.schema_migrations (version) VALUES (99)");
    await expect(PostgresStore.open({ connectionString: url })).rejects.toThrow(/version 99/);
  });

  it("caps declarations in the schema at the contract's limit", async () => {
    const url = await server.createDatabase();
    await (await PostgresStore.open({ connectionString: url })).close();
    const [check] = await query<{ definition: string }>(
      url,
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = 'patron.stores'::regclass AND contype = 'c'`,
    );
    expect(check?.definition).toBe(`CHECK ((declaration_count <= ${LIMITS.declarationsPerStore}))`);
  });
});

describe("PostgresStore across connection pools", () => {
  it("creates one customer and keeps every write when servers race a new email", async () => {
    const stores = await openServers(await server.createDatabase(), 4);
    try {
      const tenant = await createStore(stores[0]!, "Race shop");
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          upsertCustomer(stores[i % stores.length]!, tenant.id, {
            email: "race@example.com",
            phoneNumber: `+1555100${String(i).padStart(4, "0")}`,
            customFields: { [`field_${i}`]: i },
          }),
        ),
      );
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const customer = await stores[1]!.getCustomer(tenant.id, "race@example.com");
      expect(customer?.phoneNumbers).toHaveLength(60);
      expect(Object.keys(customer?.customFields ?? {})).toHaveLength(60);
      expect(await stores[2]!.listDeclarations(tenant.id)).toHaveLength(60);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("declares a field raced with two types once and answers the losers with a 422", async () => {
    const stores = await openServers(await server.createDatabase(), 4);
    try {
      const tenant = await createStore(stores[0]!, "Contest shop");
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          upsertCustomer(stores[i % stores.length]!, tenant.id, {
            email: `racer${i}@example.com`,
            customFields: { contested: i % 2 === 0 ? "text" : 42 },
          }),
        ),
      );
      const declared = await stores[0]!.listDeclarations(tenant.id);
      expect(declared).toHaveLength(1);
      const winner = declared[0]!.type === "STRING" ? 0 : 1;
      for (const [i, result] of results.entries()) {
        if (i % 2 === winner) expect(result.status).toBe("fulfilled");
        else expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 422 });
      }
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});

describe("PostgresStore failures", () => {
  it("fails to open with store_unavailable when nothing listens", async () => {
    const opening = PostgresStore.open({
      connectionString: "postgres://patron:patron@127.0.0.1:9/patron",
    });
    await expect(opening).rejects.toMatchObject({ code: "store_unavailable", status: 503 });
  });

  it("refuses an upsert for a store that does not exist", async () => {
    const store = await PostgresStore.open({ connectionString: await server.createDatabase() });
    try {
      const upsert = upsertCustomer(store, "0123456789abcdef01234567", { email: "a@example.com" });
      await expect(upsert).rejects.toMatchObject({
        code: "not_found",
      } satisfies Partial<PatronError>);
    } finally {
      await store.close();
    }
  });
});
