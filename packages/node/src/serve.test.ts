import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { createStore, getCustomerProfile, issueToken } from "@patron/core";
import { SEED_REQUEST } from "@patron/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { type PatronServer, serve } from "./serve.js";
import { SqliteStore } from "./sqlite-store.js";
import { sendJson, tempFolder } from "./test-helpers.js";

/** The body exactly as the seed's `curl --data '…'` sends it: newline, 2-space JSON, newline. */
const SEED_CURL_BODY = `\n${JSON.stringify(SEED_REQUEST, null, 2)}\n`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server on port 0 over a fresh SQLite file, with its log lines captured. */
async function startServer(filename?: string) {
  const folder = tempFolder("serve");
  const database = filename ?? join(folder.path, "patron.db");
  const store = SqliteStore.open(database);
  const shop = await createStore(store, "Serve test shop");
  const token = await issueToken(store, shop.id);
  const logLines: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const server = await serve({
    store,
    port: 0,
    shutdownSignals: false,
    logger: createLogger(logSink),
  });
  cleanups.push(folder.remove, () => server.close());
  const customers = `${server.url}/v2.2/stores/${shop.id}/customers`;
  return { server, store, shop, token, customers, logLines, database };
}

function putRaw(url: string, token: string, body: string) {
  return fetch(url, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body,
  });
}

describe("serve()", () => {
  it("binds to 127.0.0.1 by default", async () => {
    const { server } = await startServer();
    expect(server.host).toBe("127.0.0.1");
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers the seed's curl body with 201, then 200 for the same customer", async () => {
    const { customers, token } = await startServer();
    const first = await putRaw(customers, token, SEED_CURL_BODY);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; created: boolean };
    expect(created).toMatchObject({ email: "jane@example.com", created: true });

    const second = await putRaw(customers, token, SEED_CURL_BODY);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ ...created, created: false });
  });

  it.runIf(existsSync("/usr/bin/curl"))("works with the curl binary itself", async () => {
    const { customers, token } = await startServer();
    const curl = (...extra: string[]) =>
      promisify(execFile)("/usr/bin/curl", [
        "--silent",
        "--request",
        "PUT",
        "--url",
        customers,
        "--header",
        `Authorization: Bearer ${token}`,
        "--header",
        "Content-Type: application/json",
        "--data",
        SEED_CURL_BODY,
        "--write-out",
        "\n%{http_code}",
        ...extra,
      ]);
    const first = await curl();
    const second = await curl();
    expect(first.stdout.trim().split("\n").pop()).toBe("201");
    expect(second.stdout.trim().split("\n").pop()).toBe("200");
  });

  it("creates one customer with every number when 100 PUTs of a new email race", async () => {
    const { customers, token, store, shop } = await startServer();
    const phones = Array.from({ length: 100 }, (_, i) => `+1206555${String(i).padStart(4, "0")}`);
    const results = await Promise.all(
      phones.map((phoneNumber) =>
        sendJson("PUT", customers, token, { email: "race@example.com", phoneNumber }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([...Array(99).fill(200), 201]);
    const created = results.filter((r) => (r.body as { created: boolean }).created);
    expect(created).toHaveLength(1);
    const profile = await getCustomerProfile(store, shop.id, "race@example.com");
    expect([...(profile.phoneNumbers ?? [])].sort()).toEqual(phones);
  });

  it("logs one line per request without emails, phone numbers, tokens or bodies", async () => {
    const { customers, token, logLines } = await startServer();
    await putRaw(customers, token, SEED_CURL_BODY);
    await fetch(`${customers}?email=jane%40example.com`, {
      headers: { authorization: `Bearer ${token}`, "x-request-id": "trace-42" },
    });
    await fetch(customers, { method: "PUT", body: "{}" });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const requests = logLines.map((line) => JSON.parse(line)).filter((l) => l.msg === "request");
    expect(requests.map((l) => [l.method, l.route, l.status])).toEqual([
      ["PUT", "/v2.2/stores/:storeId/customers", 201],
      ["GET", "/v2.2/stores/:storeId/customers", 200],
      ["PUT", "/v2.2/stores/:storeId/customers", 401],
    ]);
    expect(requests[1].requestId).toBe("trace-42");
    for (const line of requests) expect(typeof line.durationMs).toBe("number");
    const everything = logLines.join("\n");
    for (const secret of ["jane", "example.com", "+11234567890", token, "Seattle", "loyalty"]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("keeps every customer across a restart on the same file", async () => {
    const first = await startServer();
    const emails = Array.from({ length: 40 }, (_, i) => `restart${i}@example.com`);
    for (const email of emails) {
      expect((await sendJson("PUT", first.customers, first.token, { email })).status).toBe(201);
    }
    await first.server.close();

    const store = SqliteStore.open(first.database);
    const server: PatronServer = await serve({
      store,
      port: 0,
      shutdownSignals: false,
      logger: createLogger(new Writable({ write: (_c, _e, done) => done() })),
    });
    cleanups.push(() => server.close());
    const customers = `${server.url}/v2.2/stores/${first.shop.id}/customers`;
    for (const email of emails) {
      const found = await sendJson("GET", `${customers}?email=${email}`, first.token);
      expect(found.status).toBe(200);
    }
    const again = await sendJson("PUT", customers, first.token, { email: emails[0] });
    expect(again.status).toBe(200);
  });

  it("finishes a request in flight when closed, then closes the database", async () => {
    const { customers, token, server, store, shop } = await startServer();
    const body = JSON.stringify(SEED_REQUEST);
    const request = httpRequest(customers, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      },
    });
    const response = new Promise<number>((resolve, reject) => {
      request.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      request.on("error", reject);
    });
    // Send half the body, wait until the server holds the request, then shut down mid-request.
    const received = new Promise((resolve) => server.server.once("request", resolve));
    request.write(body.slice(0, 100));
    await received;
    const closed = server.close();
    request.end(body.slice(100));

    expect(await response).toBe(201);
    await closed;
    await expect(store.ping()).rejects.toThrow(/not open/);
    const reopened = SqliteStore.open(store.filename);
    cleanups.push(() => reopened.close());
    expect((await getCustomerProfile(reopened, shop.id, "jane@example.com")).firstName).toBe(
      "Jane",
    );
  });
});
