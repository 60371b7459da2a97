/**
 * The release, end to end: every `@patron/*` package is published with `pnpm release` to a
 * throwaway registry on 127.0.0.1, then installed in empty folders outside the workspace and used
 * the way each README says: `patron serve` from npm, a Vite page in Chromium, Deno through `npm:`.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SEED_REQUEST } from "@patron/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPage, pageUrl, runPage, servePage } from "./browser-step.js";
import { type DenoApp, denoApp } from "./deno-step.js";
import { type PatronCli, patronCli } from "./node-step.js";
import { machineRegistry, npmInstall } from "./npm.js";
import { type Server, stopAll } from "./processes.js";
import { type Release, releaseToRegistry } from "./publish.js";
import { type Registry, startRegistry } from "./registry.js";
import { step } from "./step.js";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const PACKAGES = ["@patron/browser", "@patron/core", "@patron/deno", "@patron/node"];
/** The Vite a user would install next to `@patron/browser` (the demo app's version). */
const VITE = "vite@8.4.0";
const SEED = SEED_REQUEST as unknown as Record<string, unknown>;
const BROWSER_EMAIL = "jane.browser@example.com";

let root: string;
let registry: Registry | undefined;
let release: Release | undefined;
let patron: Server<string> | undefined;
let serverAuth: { storeId: string; token: string } | undefined;
let page: HttpServer | undefined;

/** Installs that run side by side once the packages are published; each test awaits its own. */
let prepared: { node: Promise<PatronCli>; browser: Promise<string>; deno: Promise<DenoApp> };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "patron-release-"));
  const uplink = await machineRegistry(root);
  await mkdir(join(root, "registry"));
  registry = await step(`start Verdaccio (uplink ${uplink})`, () =>
    startRegistry(join(root, "registry"), uplink),
  );
});

afterAll(async () => {
  stopAll();
  await patron?.stop("SIGKILL");
  await new Promise((resolve) => (page ? page.close(resolve) : resolve(undefined)));
  await registry?.close();
  await step("remove temporary folders", () => rm(root, { recursive: true, force: true }));
});

function published(): { registry: Registry; release: Release } {
  if (!registry || !release) throw new Error("nothing was published; see the first test");
  return { registry, release };
}

async function callApi(url: string | URL, token: string, body?: unknown) {
  const response = await fetch(url, {
    method: body === undefined ? "GET" : "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("a release published with `pnpm release`", () => {
  it("puts every public package in the registry at one new version", async () => {
    if (!registry) throw new Error("Verdaccio did not start");
    release = await releaseToRegistry(REPO_ROOT, root, registry);
    console.log(`[release] published ${release.packages.join(", ")} at ${release.version}`);
    expect(release.packages).toEqual(PACKAGES);

    for (const name of release.packages) {
      const packument = await registry.packument(name);
      expect(packument["dist-tags"].latest, name).toBe(release.version);
      const dependencies = packument.versions[release.version]?.dependencies ?? {};
      // pnpm publish must have replaced `workspace:*` with the version published alongside.
      if (name !== "@patron/core") expect(dependencies["@patron/core"], name).toBe(release.version);
      for (const range of Object.values(dependencies)) expect(range).not.toMatch(/^workspace:/);
    }

    const { url } = registry;
    const { version } = release;
    const settled = <T>(promise: Promise<T>) => {
      promise.catch(() => {}); // awaited, and reported, by the test that needs it
      return promise;
    };
    prepared = {
      node: settled(
        step("npm install @patron/node (compiles better-sqlite3)", async () => {
          await npmInstall(join(root, "node-app"), url, [`@patron/node@${version}`]);
          return patronCli(join(root, "node-app"), join(root, "node-app", "patron.db"));
        }),
      ),
      browser: settled(
        step("npm install @patron/browser and vite, vite build", async () => {
          const folder = join(root, "browser-app");
          await npmInstall(folder, url, [`@patron/browser@${version}`, VITE]);
          return buildPage(folder, SEED, BROWSER_EMAIL);
        }),
      ),
      deno: settled(
        step("deno cache npm:@patron/deno", async () => {
          const app = await denoApp(join(root, "deno-app"), url, version, SEED);
          await app.cache();
          return app;
        }),
      ),
    };
  });

  it("installs @patron/node with npm; `patron serve` answers the seed 201, then 200", async () => {
    published();
    const cli = await prepared.node;
    const store = await cli.json<{ id: string }>(["stores", "create", "--name", "Release test"]);
    const { token } = await cli.json<{ token: string }>(["tokens", "create", "--store", store.id]);
    expect(token).toMatch(/^pat_/);
    patron = await step("start patron serve", () => cli.serve());
    serverAuth = { storeId: store.id, token };

    const customers = new URL(`/v2.2/stores/${store.id}/customers`, patron.info);
    const first = await callApi(customers, token, SEED);
    expect(first).toEqual({
      status: 201,
      body: { id: expect.stringMatching(/^[0-9a-f]{24}$/), email: SEED.email, created: true },
    });
    const second = await callApi(customers, token, SEED);
    expect(second).toEqual({ status: 200, body: { ...first.body, created: false } });

    const profile = await callApi(`${customers}?email=${SEED.email}`, token);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      id: first.body.id,
      email: SEED.email,
      firstName: SEED.firstName,
      lastName: SEED.lastName,
      phoneNumbers: [SEED.phoneNumber],
      location: SEED.location,
      customFields: SEED.customFields,
    });
  });

  it("bundles @patron/browser with Vite; Chromium upserts via worker and server", async () => {
    published();
    const dist = await prepared.browser;
    if (!patron || !serverAuth) throw new Error("patron serve is not running; see the test above");
    page = await servePage(dist, patron.info);
    const query = new URLSearchParams(serverAuth);
    const result = await step("Chromium runs the page", () =>
      runPage(`${pageUrl(page!)}?${query}`),
    );

    expect(result.serviceWorker.statuses).toEqual([201, 200]);
    expect(result.serviceWorker.bodies.map((body) => body.created)).toEqual([true, false]);
    expect(result.serviceWorker.profile).toMatchObject({
      email: SEED.email,
      firstName: SEED.firstName,
      customFields: SEED.customFields,
    });
    expect(result.server).toEqual([
      { status: "sent", created: true },
      { status: "sent", created: false },
    ]);

    // The page's upserts reached the real server's database.
    const customers = new URL(`/v2.2/stores/${serverAuth.storeId}/customers`, patron.info);
    const profile = await callApi(`${customers}?email=${BROWSER_EMAIL}`, serverAuth.token);
    expect(profile).toMatchObject({ status: 200, body: { email: BROWSER_EMAIL } });
  });

  it("stops `patron serve` on SIGTERM with exit code 0", async () => {
    if (!patron) throw new Error("patron serve is not running; see the tests above");
    const server = patron;
    patron = undefined;
    expect(await server.stop("SIGTERM")).toBe(0);
  });

  it("imports @patron/deno via npm: in Deno; its server answers 201, then 200", async () => {
    const { release } = published();
    const app = await prepared.deno;
    const result = await step(`deno run main.ts (npm:@patron/deno@${release.version})`, () =>
      app.run(),
    );
    expect(result.statuses).toEqual([201, 200]);
    expect(result.bodies.map((body) => body.created)).toEqual([true, false]);
    expect(result.profile).toMatchObject({
      email: SEED.email,
      firstName: SEED.firstName,
      customFields: SEED.customFields,
    });
  });
});
