import { execFile } from "node:child_process";
import { request } from "node:http";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DemoProcess, startDemo } from "../test/demo-process.js";

let demo: DemoProcess;

beforeAll(async () => {
  demo = await startDemo();
});

afterAll(async () => {
  await demo?.close();
});

/** A GET with the path sent exactly as written, the way a hostile client could send it. */
function rawGet(path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(demo.url);
    request({ hostname, port, path }, (response) => {
      response.resume();
      resolve(response.statusCode);
    })
      .on("error", reject)
      .end();
  });
}

it("prints a curl that sends the seed request: 201, then 200, with the printed token", async () => {
  const run = () => promisify(execFile)("sh", ["-c", demo.upsert]);

  expect((await run()).stdout).toMatch(/^HTTP\/1\.1 201/);
  expect((await run()).stdout).toMatch(/^HTTP\/1\.1 200/);
  const { stdout } = await promisify(execFile)("sh", ["-c", demo.get]);
  expect(JSON.parse(stdout)).toMatchObject({
    email: "jane@example.com",
    customFields: { loyalty_points: 1250, vip_member: true, status: "Active" },
  });
  expect(demo).toMatchObject({
    createdStore: true,
    url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
  });
});

it("serves the storefront at / and the admin at /admin under a security policy", async () => {
  for (const path of ["/", "/admin", "/admin/"]) {
    const response = await fetch(`${demo.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(await response.text()).toContain(path === "/" ? "Join our loyalty club" : "Customers");
  }
  expect((await fetch(`${demo.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${demo.url}/openapi.json`)).status).toBe(200);
});

it("never serves a file from outside the built pages", async () => {
  expect(await rawGet("/../server.js")).toBe(404);
  expect(await rawGet("/%2e%2e/server.js")).toBe(404);
  expect(await rawGet("/assets/missing.js")).toBe(404);
  expect((await fetch(`${demo.url}/`, { method: "DELETE" })).status).toBe(405);
});

it("exits 0 on SIGTERM and finds the same demo store on the next start", async () => {
  expect(await demo.stop()).toBe(0);

  const again = await startDemo({ db: demo.database });
  try {
    expect(again).toMatchObject({ storeId: demo.storeId, createdStore: false });
    expect(again.token).not.toBe(demo.token);
    expect(await again.api.getCustomer("jane@example.com")).toMatchObject({ firstName: "Jane" });
  } finally {
    await again.stop();
  }
});
