import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, PatronClientError } from "./client.js";
import { createApp } from "./http/app.js";
import { MemoryStore } from "./memory-store.js";
import { createStore, issueToken } from "./service.js";
import { SEED_REQUEST } from "./testing.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 whose behaviour each test scripts. */
async function listen(handler: Handler) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Serves the real app through node:http, the way an adapter would. */
function serveApp(app: ReturnType<typeof createApp>): Handler {
  return async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const answer = await app.fetch(
      new Request(`http://127.0.0.1${request.url}`, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body,
      }),
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  };
}

let closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers) close();
  closers = [];
});

describe("against the real app", () => {
  let url: string;
  let storeId: string;
  let token: string;

  beforeEach(async () => {
    const store = new MemoryStore();
    storeId = (await createStore(store, "Shop")).id;
    token = await issueToken(store, storeId);
    const server = await listen(serveApp(createApp({ store })));
    closers.push(server.close);
    url = server.url;
  });

  it("works with a base URL that ends in /v2.2, as a Redo client's does", async () => {
    const client = createClient({ baseUrl: `${url}/v2.2`, token, storeId });
    expect(await client.upsertCustomer(SEED_REQUEST)).toMatchObject({ created: true });
    expect(await client.upsertCustomer(SEED_REQUEST)).toMatchObject({ created: false });
    const profile = await client.getCustomer("Jane@Example.com");
    expect(profile.displayName).toBe("Jane Smith");
    const page = await client.listCustomers({ limit: 10 });
    expect(page.data.map((c) => c.email)).toEqual(["jane@example.com"]);
    expect((await client.listCustomFields()).map((d) => d.name)).toContain("vip_member");
  });

  it("throws one typed error carrying the server's problem", async () => {
    const client = createClient({ baseUrl: url, token, storeId });
    const error = await client
      .upsertCustomer({ email: "x@example.com", phoneNumber: "12" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatronClientError);
    const clientError = error as PatronClientError;
    expect([clientError.status, clientError.retryable]).toEqual([400, false]);
    expect(clientError.problem.errors?.[0]).toMatchObject({
      path: "phoneNumber",
      code: "invalid_e164",
    });
    const missing = await client.getCustomer("nobody@example.com").catch((e: unknown) => e);
    expect((missing as PatronClientError).status).toBe(404);
  });
});

describe("retries", () => {
  it("retries a 503 and then succeeds", async () => {
    let calls = 0;
    const server = await listen((_request, response) => {
      calls++;
      if (calls < 3) {
        response.writeHead(503, { "Content-Type": "application/problem+json" });
        response.end(JSON.stringify({ type: "about:blank", title: "Unavailable", status: 503 }));
        return;
      }
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(
        JSON.stringify({ id: "0123456789abcdef01234567", email: "a@b.co", created: false }),
      );
    });
    closers.push(server.close);
    const client = createClient({ baseUrl: server.url, token: "pat_x", storeId: "s" });
    expect(await client.upsertCustomer({ email: "a@b.co" })).toMatchObject({ created: false });
    expect(calls).toBe(3);
  });

  it("honours Retry-After on 429 and gives up after the configured retries", async () => {
    const seen: number[] = [];
    const server = await listen((_request, response) => {
      seen.push(Date.now());
      response.writeHead(429, { "Retry-After": "1", "Content-Type": "application/problem+json" });
      response.end(JSON.stringify({ type: "about:blank", title: "Slow down", status: 429 }));
    });
    closers.push(server.close);
    const client = createClient({ baseUrl: server.url, token: "pat_x", storeId: "s", retries: 1 });
    const error = (await client.listCustomFields().catch((e: unknown) => e)) as PatronClientError;
    expect([error.status, error.retryable, error.retryAfterMs]).toEqual([429, true, 1000]);
    expect(seen).toHaveLength(2);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(950);
  });

  it("reports a timeout as a retryable status-0 error and does not retry 4xx", async () => {
    let calls = 0;
    const server = await listen((request, response) => {
      calls++;
      if (request.url?.includes("custom-fields")) return; // never answers
      response.writeHead(403, { "Content-Type": "application/problem+json" });
      response.end(JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403 }));
    });
    closers.push(server.close);
    const client = createClient({
      baseUrl: server.url,
      token: "pat_x",
      storeId: "s",
      timeoutMs: 100,
      retries: 1,
    });
    const timeout = (await client.listCustomFields().catch((e: unknown) => e)) as PatronClientError;
    expect([timeout.status, timeout.retryable]).toEqual([0, true]);
    expect(timeout.message).toMatch(/100 ms/);
    calls = 0;
    const forbidden = (await client
      .getCustomer("a@b.co")
      .catch((e: unknown) => e)) as PatronClientError;
    expect([forbidden.status, calls]).toEqual([403, 1]);
  });

  it("reports an unreachable server as a network error", async () => {
    const client = createClient({
      baseUrl: "http://127.0.0.1:9",
      token: "pat_x",
      storeId: "s",
      retries: 0,
    });
    const error = (await client.listCustomFields().catch((e: unknown) => e)) as PatronClientError;
    expect([error.status, error.problem.type]).toEqual([0, "https://patron.dev/problems/network"]);
  });
});
