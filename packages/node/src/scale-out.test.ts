import { Agent, request as httpRequest } from "node:http";
import { createStore, issueToken } from "@patron/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "./postgres/test-server.js";
import { PostgresStore } from "./postgres-store.js";
import { runCli, type ServerProcess, startServer } from "./test-helpers.js";

/**
 * Several `patron serve` processes (the real CLI from dist/) on one PostgreSQL database, as behind
 * a load balancer. The database is a throwaway server, since the outage test stops and starts it.
 */
let database: TestPostgres;
const patrons: ServerProcess[] = [];

beforeAll(async () => {
  database = await startTestPostgres({ throwaway: true });
}, 60_000);

afterAll(async () => {
  await Promise.all(patrons.map((patron) => patron.stop()));
  await database?.close();
});

/** A fresh database with `tenants` stores, each with a token, and `count` servers on it. */
async function setUp(tenants: number, count: number) {
  const url = await database.createDatabase();
  const store = await PostgresStore.open({ connectionString: url });
  const shops: { id: string; token: string }[] = [];
  for (let i = 0; i < tenants; i++) {
    const shop = await createStore(store, `Shop ${i}`);
    shops.push({ id: shop.id, token: await issueToken(store, shop.id) });
  }
  await store.close();
  const servers = await Promise.all(
    Array.from({ length: count }, () => startServer(["--db", url])),
  );
  patrons.push(...servers);
  return { shops, servers };
}

const put = (server: ServerProcess, shop: { id: string; token: string }, body: unknown) =>
  requestJson("PUT", `${server.url}/v2.2/stores/${shop.id}/customers`, shop.token, body);

const get = (server: ServerProcess, shop: { id: string; token: string }, email: string) =>
  requestJson(
    "GET",
    `${server.url}/v2.2/stores/${shop.id}/customers?email=${encodeURIComponent(email)}`,
    shop.token,
  );

const phoneOf = (i: number) => `+1555${String(i).padStart(7, "0")}`;

describe("three patron serve processes on one PostgreSQL database", () => {
  it("create 20 customers once under 2,000 concurrent PUTs and keep every write", async () => {
    // Four stores of five emails: each request writes its own phone number and its own field
    // name, 500 new declarations per store (under the 1,000 limit), so every write is checkable.
    const { shops, servers } = await setUp(4, 3);
    const emailOf = (i: number) => `customer${i % 20}@example.com`;
    const shopOf = (i: number) => shops[(i % 20) % shops.length]!;

    const responses = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        put(servers[i % servers.length]!, shopOf(i), {
          email: emailOf(i),
          phoneNumber: phoneOf(i),
          customFields: { [`field_${i}`]: i },
        }),
      ),
    );

    expect(responses.filter((response) => response.status >= 300)).toEqual([]);
    expect(responses.filter((response) => response.status === 201)).toHaveLength(20);
    expect(
      responses.filter((response) => (response.body as { created: boolean }).created),
    ).toHaveLength(20);
    for (let e = 0; e < 20; e++) {
      const writes = Array.from({ length: 100 }, (_, k) => e + 20 * k);
      const profile = await get(servers[e % servers.length]!, shopOf(e), emailOf(e));
      const body = profile.body as { phoneNumbers: string[]; customFields: object };
      expect(new Set(body.phoneNumbers)).toEqual(new Set(writes.map(phoneOf)));
      expect(body.customFields).toEqual(Object.fromEntries(writes.map((i) => [`field_${i}`, i])));
    }
    for (const shop of shops) {
      const page = await requestJson(
        "GET",
        `${servers[0]!.url}/v2.2/stores/${shop.id}/customers?limit=500`,
        shop.token,
      );
      expect((page.body as { data: unknown[] }).data).toHaveLength(5);
    }
  }, 60_000);

  it("declare a field raced with two types once and answer every loser with a 422", async () => {
    const { shops, servers } = await setUp(1, 3);
    const responses = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        put(servers[i % servers.length]!, shops[0]!, {
          email: `racer${i}@example.com`,
          customFields: { contested: i % 2 === 0 ? "text" : 42 },
        }),
      ),
    );
    const fields = await requestJson(
      "GET",
      `${servers[0]!.url}/v2.2/stores/${shops[0]!.id}/custom-fields`,
      shops[0]!.token,
    );
    const declared = (fields.body as { data: { type: string }[] }).data;
    expect(declared).toHaveLength(1);
    const winner = declared[0]!.type === "STRING" ? 0 : 1;
    for (const [i, response] of responses.entries()) {
      expect(response.status).toBe(i % 2 === winner ? 201 : 422);
    }
  }, 30_000);

  it("answer 503 while the database is down and recover with nothing lost", async () => {
    const { shops, servers } = await setUp(1, 2);
    const shop = shops[0]!;
    const acknowledged = new Map<string, string[]>();
    const seen: HttpResult[] = [];
    let next = 0;
    let running = true;

    // Eight clients keep writing new phone numbers to four customers through both servers.
    const workers = Array.from({ length: 8 }, async (_, w) => {
      while (running) {
        const i = next++;
        const email = `load${i % 4}@example.com`;
        const response = await put(servers[w % servers.length]!, shop, {
          email,
          phoneNumber: phoneOf(i),
        });
        seen.push(response);
        if (response.status === 200 || response.status === 201) {
          acknowledged.set(email, [...(acknowledged.get(email) ?? []), phoneOf(i)]);
        }
        await sleep(5);
      }
    });

    await sleep(500);
    await database.stop();
    const healthDuringOutage = await requestJson("GET", `${servers[0]!.url}/healthz`, "");
    await sleep(700);
    const failedDuringOutage = seen.filter((response) => response.status === 503).length;
    await database.start();
    await waitFor(
      async () => (await requestJson("GET", `${servers[1]!.url}/healthz`, "")).status === 200,
    );
    const beforeRecovery = seen.length;
    await sleep(700);
    running = false;
    await Promise.all(workers);

    expect(healthDuringOutage.status).toBe(503);
    expect(failedDuringOutage).toBeGreaterThan(0);
    expect(
      seen.slice(beforeRecovery).filter((response) => response.status < 300).length,
    ).toBeGreaterThan(10);
    for (const response of seen) {
      expect([200, 201, 503]).toContain(response.status);
      if (response.status === 503) {
        expect(response.contentType).toContain("application/problem+json");
        expect(response.body).toMatchObject({ status: 503 });
      }
    }
    for (const server of servers) expect(server.child.exitCode).toBeNull();
    for (const [email, phones] of acknowledged) {
      const profile = await get(servers[0]!, shop, email);
      const stored = (profile.body as { phoneNumbers: string[] }).phoneNumbers;
      expect(stored).toEqual(expect.arrayContaining(phones));
    }
  }, 60_000);
});

interface HttpResult {
  status: number;
  contentType: string;
  body: unknown;
}

/** Bounded sockets per server, so 2,000 requests queue in the client instead of flooding accept. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One JSON request over node:http; a failed connection gives status 0. */
function requestJson(method: string, url: string, token: string, body?: unknown) {
  return new Promise<HttpResult>((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (payload) headers["content-type"] = "application/json";
    const req = httpRequest(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const contentType = String(res.headers["content-type"] ?? "");
        const parsed = contentType.includes("json") && text ? JSON.parse(text) : text;
        resolve({ status: res.statusCode ?? 0, contentType, body: parsed });
      });
    });
    req.on("error", () => resolve({ status: 0, contentType: "", body: undefined }));
    req.end(payload);
  });
}

describe("patron import and export on PostgreSQL", () => {
  it("round-trips customers through an NDJSON file", async () => {
    const db = await database.createDatabase();
    const created = await runCli([
      "stores",
      "create",
      "--name",
      "Import shop",
      "--json",
      "--db",
      db,
    ]);
    const storeId = (JSON.parse(created.stdout) as { id: string }).id;
    const lines = [
      { email: "ada@example.com", firstName: "Ada", phoneNumber: "+447911123456" },
      { email: "ada@example.com", phoneNumber: "+12345678900", customFields: { vip: true } },
      { email: "grace@example.com", customFields: { vip: "yes" } },
      { email: "linus@example.com", location: { city: "Helsinki", countryCode: "fi" } },
    ];
    const input = lines.map((line) => JSON.stringify(line)).join("\n");

    const imported = await runCli(["import", "-", "--store", storeId, "--json", "--db", db], {
      input,
    });
    const exported = await runCli(["export", "--store", storeId, "--db", db]);

    expect(imported.code).toBe(3);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 4, imported: 3, created: 2 });
    const profiles = exported.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(profiles).toMatchObject([
      {
        email: "ada@example.com",
        displayName: "Ada",
        phoneNumbers: ["+447911123456", "+12345678900"],
        customFields: { vip: true },
      },
      { email: "linus@example.com", location: { city: "Helsinki", countryCode: "FI" } },
    ]);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}
