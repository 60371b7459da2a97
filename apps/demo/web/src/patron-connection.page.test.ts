import { launchChromium } from "@patron/test-support";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DemoProcess, startDemo } from "../../test/demo-process.js";
import { fillSignup, JANE, openPage, submitSignup } from "../../test/signup-page.js";

let browser: Browser;
const demos: DemoProcess[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  // The first one owns the database folder, so it is closed last.
  for (const demo of demos.reverse()) await demo.close();
});

it("renews the session after a server restart, so a sign-up queued meanwhile arrives", async () => {
  const first = await startDemo();
  demos.push(first);
  const page = await browser.newPage();
  const upsertStatuses: number[] = [];
  page.on("response", (response) => {
    if (response.request().method() === "PUT") upsertStatuses.push(response.status());
  });
  await openPage(page, first.url);

  // The server goes away while the page stays open: the sign-up waits in the outbox.
  await first.stop();
  await fillSignup(page, { ...JANE, email: "restart@example.com", firstName: "Rita" });
  const queued = await submitSignup(page);
  expect(queued.outcome).toBe("pending");
  expect(queued.text).toContain("did not answer");
  await expect.poll(() => page.locator("#connection").textContent()).toBe("Retrying · 1 pending");

  // A new process signs sessions with a new key, so the page's session is refused once, renewed,
  // and the queued sign-up is sent with the new one.
  const second = await startDemo({ db: first.database, port: Number(new URL(first.url).port) });
  demos.push(second);
  await page.locator('#form-status[data-outcome="created"]').waitFor({ timeout: 30_000 });
  expect(await page.locator("#form-status").textContent()).toContain("Welcome to the club, Rita");
  expect(upsertStatuses).toEqual([401, 201]);
  expect(await second.api.getCustomer("restart@example.com")).toMatchObject({ firstName: "Rita" });
});
