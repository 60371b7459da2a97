import { SEED_REQUEST } from "@patron/core/testing";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { usePageFixture } from "../test/pages.js";

// The worker must answer without the server; the server is there to prove nothing reaches it.
const pages = usePageFixture();

/** Registers the prebuilt worker from the page and returns what the page got back. */
function register(page: Page) {
  return page.evaluate(async () => {
    const { baseUrl, storeId, token } = await Patron.registerPatronServiceWorker({
      scriptUrl: "/patron-sw.js",
      storeName: "Kiosk",
    });
    return { baseUrl, storeId, token };
  });
}

/** One raw HTTP exchange from the page, as any client of the API would make it. */
function call(page: Page, request: { url: string; method?: string; token: string; body?: object }) {
  return page.evaluate(async ({ url, method, token, body }) => {
    const response = await fetch(url, {
      method: method ?? "GET",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }, request);
}

it("answers the seed request with 201 then 200, and GET by email, inside the browser", async () => {
  const page = await pages.context.newPage();
  await page.goto(pages.harness.url);
  const local = await register(page);
  expect(local.baseUrl).toBe(`${pages.harness.url}/patron`);
  const customers = `${local.baseUrl}/v2.2/stores/${local.storeId}/customers`;

  const created = await call(page, {
    url: customers,
    method: "PUT",
    token: local.token,
    body: SEED_REQUEST,
  });
  const updated = await call(page, {
    url: customers,
    method: "PUT",
    token: local.token,
    body: SEED_REQUEST,
  });
  expect(created).toEqual({
    status: 201,
    body: { id: expect.any(String), email: "jane@example.com", created: true },
  });
  expect(updated).toEqual({ status: 200, body: { ...created.body, created: false } });

  const found = await call(page, {
    url: `${customers}?email=${encodeURIComponent(" Jane@Example.com")}`,
    token: local.token,
  });
  expect(found.status).toBe(200);
  expect(found.body).toMatchObject({
    id: created.body.id,
    displayName: "Jane Smith",
    phoneNumber: "+11234567890",
    location: SEED_REQUEST.location,
    customFields: SEED_REQUEST.customFields,
  });
  expect(pages.harness.upserts).toEqual([]);
});

it("works with the ordinary client, offline, and after a reload with the same store", async () => {
  const page = await pages.context.newPage();
  await page.goto(pages.harness.url);
  const first = await register(page);
  await pages.context.setOffline(true);

  const result = await page.evaluate(async (local) => {
    const client = Patron.createClient(local);
    await client.upsertCustomer({ email: "kiosk@example.com", customFields: { visits: 1 } });
    return client.getCustomer("kiosk@example.com");
  }, first);
  expect(result.customFields).toEqual({ visits: 1 });

  await pages.context.setOffline(false);
  await page.reload();
  const again = await register(page);
  expect(again).toEqual(first);
  const fields = await page.evaluate(
    (local) => Patron.createClient(local).listCustomFields(),
    again,
  );
  expect(fields.map((field) => [field.name, field.type])).toEqual([["visits", "NUMBER"]]);
});

it("refuses requests without a valid token, like a server", async () => {
  const page = await pages.context.newPage();
  await page.goto(pages.harness.url);
  const local = await register(page);
  const customers = `${local.baseUrl}/v2.2/stores/${local.storeId}/customers?email=a@b.co`;

  const anonymous = await call(page, { url: customers, token: "" });
  const stranger = await call(page, { url: customers, token: pages.server.token });
  expect([anonymous.status, stranger.status]).toEqual([401, 401]);
  expect(anonymous.body.type).toBe("https://patron.dev/problems/unauthorized");
  const health = await page.evaluate(
    async (url) => (await fetch(url)).status,
    `${local.baseUrl}/healthz`,
  );
  expect(health).toBe(200);
});

it("gives tabs that start together the same local store", async () => {
  // The worker is installed first, so both tabs below load under its control.
  const installer = await pages.context.newPage();
  await installer.goto(pages.harness.url);
  await register(installer);
  const tabs = [await pages.context.newPage(), await pages.context.newPage()];
  await Promise.all(tabs.map((tab) => tab.goto(pages.harness.url)));

  // Both ask twice at once for a store that does not exist yet.
  const perTab = await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(() => {
        const start = () => Patron.registerPatronServiceWorker({ scriptUrl: "/patron-sw.js" });
        return Promise.all([start(), start()]).then((all) => all.map((local) => local.storeId));
      }),
    ),
  );
  const storeIds = new Set(perTab.flat());
  expect(storeIds.size).toBe(1);
  expect([...storeIds][0]).toMatch(/^[0-9a-f]{24}$/);
});
