import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, createStore, issueToken } from "@patron/core";
import { type NodeStore, openStore } from "@patron/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type BackendForFrontend,
  BFF_PREFIX,
  createBackendForFrontend,
  type RefusedCall,
} from "./backend-for-frontend.js";
import { createVisitorSessions } from "./visitor-sessions.js";

const ORIGIN = "http://127.0.0.1:8787";

let folder: string;
let store: NodeStore;
let storeId: string;
let storeToken: string;
let bff: BackendForFrontend;
const refused: RefusedCall[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "patron-bff-"));
  store = await openStore(join(folder, "demo.db"));
  storeId = (await createStore(store, "Demo storefront")).id;
  storeToken = await issueToken(store, storeId);
  bff = createBackendForFrontend({
    patron: createApp({ store }).fetch,
    storeId,
    storeToken,
    sessions: createVisitorSessions(),
    onRefused: (call) => refused.push(call),
  });
});

afterAll(async () => {
  await store?.close();
  await rm(folder, { recursive: true, force: true });
});

async function session(page: string): Promise<string> {
  const response = await bff(
    new Request(`${ORIGIN}${BFF_PREFIX}/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ page }),
    }),
  );
  expect(response.status).toBe(200);
  const grant = (await response.json()) as { token: string; storeId: string; apiBase: string };
  expect(grant).toMatchObject({ storeId, apiBase: BFF_PREFIX });
  return grant.token;
}

function call(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  return bff(new Request(`${ORIGIN}${BFF_PREFIX}/v2.2/stores/${storeId}${path}`, init));
}

it("gives pages a visitor session, never the store token", async () => {
  const token = await session("storefront");

  expect(token).toMatch(/^ses_/);
  expect(token).not.toContain(storeToken);
});

it("forwards the storefront's upsert to Patron with the store token added", async () => {
  const token = await session("storefront");
  const body = { email: "Jane@Example.com", phoneNumber: "+12065550100" };

  const first = await call("PUT", "/customers", token, body);
  const second = await call("PUT", "/customers", token, body);

  expect(first.status).toBe(201);
  expect(second.status).toBe(200);
  expect(await second.json()).toMatchObject({ email: "jane@example.com", created: false });
  expect(second.headers.get("X-Request-Id")).toBeTruthy();
});

it("passes Patron's validation problems through unchanged", async () => {
  const token = await session("storefront");

  const response = await call("PUT", "/customers", token, { email: "a@b.co", phoneNumber: "12" });

  expect(response.status).toBe(400);
  expect(response.headers.get("Content-Type")).toMatch(/problem\+json/);
  const problem = (await response.json()) as { errors: { path: string }[] };
  expect(problem.errors.map((issue) => issue.path)).toEqual(["phoneNumber"]);
});

it("lets the admin read and not write, and the storefront write and not read", async () => {
  const admin = await session("admin");
  const storefront = await session("storefront");

  expect((await call("GET", "/customers?limit=5", admin)).status).toBe(200);
  expect((await call("GET", "/custom-fields", admin)).status).toBe(200);
  expect((await call("PUT", "/customers", admin, { email: "x@example.com" })).status).toBe(403);
  expect((await call("GET", "/customers?email=jane@example.com", storefront)).status).toBe(403);
  expect((await call("GET", "/custom-fields", storefront)).status).toBe(403);
  expect(refused.at(-1)).toMatchObject({
    method: "GET",
    route: `${BFF_PREFIX}/v2.2/stores/:storeId/custom-fields`,
    status: 403,
  });
});

it("answers 401 without a valid session, even to a caller holding the store token", async () => {
  for (const token of [undefined, "ses_forged.signature", storeToken]) {
    const response = await call("GET", "/customers", token);
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
  }
});

it("refuses other stores, unknown routes and malformed session requests", async () => {
  const admin = await session("admin");
  const otherStore = "0".repeat(24);
  const elsewhere = await bff(
    new Request(`${ORIGIN}${BFF_PREFIX}/v2.2/stores/${otherStore}/customers`, {
      headers: { Authorization: `Bearer ${admin}` },
    }),
  );
  expect(elsewhere.status).toBe(404);
  expect((await bff(new Request(`${ORIGIN}${BFF_PREFIX}/tokens`))).status).toBe(404);

  const sessionUrl = `${ORIGIN}${BFF_PREFIX}/session`;
  expect((await bff(new Request(sessionUrl))).status).toBe(405);
  const asForm = new Request(sessionUrl, { method: "POST", body: "page=admin" });
  expect((await bff(asForm)).status).toBe(415);
  const unknownPage = new Request(sessionUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: '{"page":"owner"}',
  });
  expect((await bff(unknownPage)).status).toBe(400);
});

it("keeps Patron's body size limit for forwarded upserts", async () => {
  const token = await session("storefront");
  const huge = { email: "big@example.com", customFields: { notes: "x".repeat(1_100_000) } };

  const response = await call("PUT", "/customers", token, huge);

  expect(response.status).toBe(413);
});
