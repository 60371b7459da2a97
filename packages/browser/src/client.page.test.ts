import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { usePageFixture } from "../test/pages.js";
import type { UpsertOutcome } from "./client.js";

const pages = usePageFixture();

/** Opens the test page and creates its browser client. */
async function openClient(
  page: Page,
  options: { minRetryDelayMs?: number; token?: string } = {},
): Promise<void> {
  await page.goto(pages.harness.url);
  await page.evaluate(
    ({ baseUrl, storeId, token, minRetryDelayMs }) =>
      Patron.start({ baseUrl, storeId, token, minRetryDelayMs }),
    {
      baseUrl: `${pages.harness.url}/api`,
      storeId: pages.server.storeId,
      token: pages.server.token,
      ...options,
    },
  );
}

function upsertAll(page: Page, bodies: object[]): Promise<UpsertOutcome[]> {
  return page.evaluate(async (list) => {
    const outcomes = [];
    for (const body of list) outcomes.push(await Patron.client.upsertCustomer(body as never));
    return outcomes;
  }, bodies);
}

/** The phone numbers, in order, of the upserts that reached the pages.server. */
function phonesThatArrived(): (string | undefined)[] {
  return pages.harness.upserts.filter((u) => !u.injected).map((u) => u.body.phoneNumber);
}

it("sends an upsert right away when online and reports the server's answer", async () => {
  const page = await pages.context.newPage();
  await openClient(page);

  const [first, second] = await upsertAll(page, [
    { email: "Online@Example.com", firstName: "On" },
    { email: "online@example.com", lastName: "Line" },
  ]);

  expect(first).toMatchObject({ status: "sent", result: { email: "online@example.com" } });
  expect(first?.status === "sent" && first.result.created).toBe(true);
  expect(second?.status === "sent" && second.result.created).toBe(false);
  expect(await page.evaluate(() => Patron.client.outbox.getState())).toMatchObject({
    pending: 0,
    rejected: 0,
  });
});

it("keeps offline upserts across a reload and sends each once, in order", async () => {
  const page = await pages.context.newPage();
  await openClient(page);
  await pages.context.setOffline(true);

  const email = "queued@example.com";
  const bodies = [
    { email, phoneNumber: "+15550000001" },
    { email, phoneNumber: "+15550000002" },
    { email, phoneNumber: "not a phone number" },
    { email, phoneNumber: "+15550000003", customFields: { visits: 1 } },
    { email, phoneNumber: "+15550000004", customFields: { visits: "many" } },
    { email, phoneNumber: "+15550000005" },
  ];
  const outcomes = await upsertAll(page, bodies);
  expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill("queued"));

  // The page goes away while still offline; nothing has reached the pages.server.
  await page.goto("about:blank");
  expect(pages.harness.upserts).toEqual([]);

  await pages.context.setOffline(false);
  await openClient(page);
  await page.evaluate(() => Patron.drained());

  expect(phonesThatArrived()).toEqual([
    "+15550000001",
    "+15550000002",
    "not a phone number",
    "+15550000003",
    "+15550000004",
    "+15550000005",
  ]);
  const rejected = await page.evaluate(() => Patron.client.outbox.rejected());
  expect(rejected.map((entry) => [entry.id, entry.error.status])).toEqual([
    [outcomes[2]?.entryId, 400],
    [outcomes[4]?.entryId, 422],
  ]);

  const profile = await page.evaluate((address) => Patron.client.getCustomer(address), email);
  expect(profile.phoneNumbers).toEqual([
    "+15550000001",
    "+15550000002",
    "+15550000003",
    "+15550000005",
  ]);
  expect(profile.customFields).toEqual({ visits: 1 });
});

it("sends queued upserts on the online event and tells the app each outcome", async () => {
  const page = await pages.context.newPage();
  await openClient(page);
  await pages.context.setOffline(true);

  const [created, updated] = await upsertAll(page, [
    { email: "back@example.com", firstName: "Back" },
    { email: "back@example.com", lastName: "Online" },
  ]);
  expect([created?.status, updated?.status]).toEqual(["queued", "queued"]);

  await pages.context.setOffline(false);
  await page.evaluate(() => Patron.drained());

  const sentEvents = () => page.evaluate(() => Patron.events.filter((e) => e.type === "sent"));
  await expect.poll(async () => (await sentEvents()).length).toBe(2);
  const sent = await sentEvents();
  expect(sent.map((event) => [event.entry.id, event.entry.result.created])).toEqual([
    [created?.entryId, true],
    [updated?.entryId, false],
  ]);
  const outcome = await page.evaluate((id) => Patron.client.outbox.outcome(id), created!.entryId);
  expect(outcome).toMatchObject({ status: "sent", entry: { result: { created: true } } });
});

it("holds the queue behind a 429 for the Retry-After time, then delivers it", async () => {
  const page = await pages.context.newPage();
  await openClient(page, { minRetryDelayMs: 50 });
  pages.harness.injectFaults({ status: 429, headers: { "Retry-After": "1" } }, { status: 503 });

  const [first, second] = await upsertAll(page, [
    { email: "busy@example.com", phoneNumber: "+15550000011" },
    { email: "busy@example.com", phoneNumber: "+15550000012" },
  ]);
  expect(first).toMatchObject({ status: "queued", error: { status: 429 } });
  // The second waits behind the first rather than overtaking it.
  expect(second).toMatchObject({ status: "queued" });

  await page.evaluate(() => Patron.drained());
  const statuses = pages.harness.upserts.map((u) => [u.body.phoneNumber, u.status]);
  expect(statuses).toEqual([
    ["+15550000011", 429],
    ["+15550000011", 503],
    ["+15550000011", 201],
    ["+15550000012", 200],
  ]);
  const [limited, unavailable] = pages.harness.upserts;
  expect(unavailable!.at - limited!.at).toBeGreaterThanOrEqual(950);
});

it("lets only one tab send each queued upsert", async () => {
  const tabs = [
    await pages.context.newPage(),
    await pages.context.newPage(),
    await pages.context.newPage(),
  ];
  for (const tab of tabs) await openClient(tab);
  await pages.context.setOffline(true);

  const bodies = Array.from({ length: 12 }, (_, i) => ({
    email: `tab${i % 3}@example.com`,
    phoneNumber: `+1555000${String(100 + i).padStart(4, "0")}`,
  }));
  await Promise.all(
    tabs.map((tab, t) =>
      upsertAll(
        tab,
        bodies.filter((_, i) => i % 3 === t),
      ),
    ),
  );

  // Every tab hears `online` at once and races for the queue.
  await pages.context.setOffline(false);
  await Promise.all(tabs.map((tab) => tab.evaluate(() => Patron.drained())));

  const arrived = phonesThatArrived();
  expect(arrived).toHaveLength(bodies.length);
  expect(new Set(arrived).size).toBe(bodies.length);
  // Every tab hears every result, whichever tab sent it.
  for (const tab of tabs) {
    const sentHeard = () => tab.evaluate(() => Patron.events.filter((e) => e.type === "sent"));
    await expect.poll(async () => (await sentHeard()).length).toBe(bodies.length);
  }
});

it("keeps refused upserts until the app clears them or queues them again", async () => {
  const page = await pages.context.newPage();
  // A token of the right shape that the server does not know: a 401, never retried by itself.
  await openClient(page, { token: `pat_${"x".repeat(43)}` });
  const [late, dropped] = await upsertAll(page, [
    { email: "late@example.com" },
    { email: "dropped@example.com" },
  ]);
  expect(late).toMatchObject({ status: "rejected", error: { status: 401 } });
  expect(dropped).toMatchObject({ status: "rejected", error: { status: 401 } });

  // The app gets a valid token, drops one refused upsert and sends the other again.
  await openClient(page);
  await page.evaluate(
    async ({ retry, drop }) => {
      await Patron.client.outbox.clearRejected([drop]);
      await Patron.client.outbox.retryRejected(retry);
    },
    { retry: late!.entryId, drop: dropped!.entryId },
  );

  const outcome = await page.evaluate((id) => Patron.client.outbox.outcome(id), late!.entryId);
  expect(outcome).toMatchObject({ status: "sent", entry: { result: { created: true } } });
  expect(await page.evaluate(() => Patron.client.outbox.rejected())).toEqual([]);
  const kinds = () => page.evaluate(() => Patron.events.map((event) => event.type));
  await expect.poll(kinds).toEqual(["cleared", "queued", "sent"]);
  expect(pages.harness.upserts.map((u) => [u.body.email, u.status])).toEqual([
    ["late@example.com", 401],
    ["dropped@example.com", 401],
    ["late@example.com", 201],
  ]);
});
