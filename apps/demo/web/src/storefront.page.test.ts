import { PatronClientError } from "@patron/core/client";
import { launchChromium } from "@patron/test-support";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { artifactPath } from "../../test/artifacts.js";
import { type DemoProcess, startDemo } from "../../test/demo-process.js";
import { fillSignup, JANE, openPage, submitSignup } from "../../test/signup-page.js";

let demo: DemoProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

beforeEach(async () => {
  // A fresh context is a fresh profile: an empty outbox.
  context = await browser.newContext();
  page = await context.newPage();
  await openPage(page, demo.url);
});

afterEach(async () => {
  await context.close();
});

it("creates a member, then updates it with a second phone; the admin shows both", async () => {
  await fillSignup(page, JANE);
  const first = await submitSignup(page);
  expect(first).toMatchObject({ outcome: "created" });
  expect(first.text).toContain("Created.");

  await fillSignup(page, { phoneNumber: "+44 20 7946 0958" });
  const second = await submitSignup(page);
  expect(second).toMatchObject({ outcome: "updated" });
  expect(second.text).toContain("Updated.");
  const rows = page.locator("#signups li");
  await expect.poll(() => rows.locator(".pill").allTextContents()).toEqual(["Updated", "Created"]);

  const admin = await context.newPage();
  await openPage(admin, `${demo.url}/admin`);
  await admin.getByRole("button", { name: "Jane Smith" }).click();
  const phones = admin.locator("#detail .phones li");
  await expect
    .poll(() => phones.allTextContents())
    .toEqual(["+12065550100", "+442079460958latest"]);
  const types = await admin.locator("#detail tr[data-field] .type-badge").allTextContents();
  expect(types.sort()).toEqual(["BOOLEAN", "DATE", "NUMBER"]);
  expect(await admin.locator("#detail .facts").last().textContent()).toContain("Seattle");
});

it("shows an invalid phone's error next to the phone input and stores nothing", async () => {
  await fillSignup(page, {
    email: "bad.phone@example.com",
    firstName: "Bad",
    phoneNumber: "555-12",
  });
  const result = await submitSignup(page);
  expect(result.outcome).toBe("error");

  const phoneField = page.locator(".field", { has: page.locator("#phoneNumber") });
  const error = phoneField.locator(".field-error");
  await expect.poll(() => error.isVisible()).toBe(true);
  expect(await error.textContent()).toMatch(/E\.164/);
  expect(await page.locator("#phoneNumber").getAttribute("aria-invalid")).toBe("true");
  // The message sits right under the input, not somewhere else on the page.
  const inputBox = (await page.locator("#phoneNumber").boundingBox())!;
  const errorBox = (await error.boundingBox())!;
  expect(errorBox.y).toBeGreaterThanOrEqual(inputBox.y + inputBox.height);
  expect(errorBox.y - (inputBox.y + inputBox.height)).toBeLessThan(60);
  expect(Math.abs(errorBox.x - inputBox.x)).toBeLessThan(2);
  // Only the phone is wrong, so only the phone is marked.
  expect(await page.locator(".field.has-error").count()).toBe(1);

  const stored = await demo.api.getCustomer("bad.phone@example.com").catch((e: unknown) => e);
  expect(stored).toBeInstanceOf(PatronClientError);
  expect((stored as PatronClientError).status).toBe(404);
  expect(await page.locator("#signups li").count()).toBe(0);
});

it("keeps a sign-up made offline as pending and shows it created once back online", async () => {
  await context.setOffline(true);
  await expect.poll(() => page.locator("#connection").textContent()).toBe("Offline");
  await fillSignup(page, { ...JANE, email: "offline@example.com", firstName: "Olivia" });
  const queued = await submitSignup(page);
  expect(queued.outcome).toBe("pending");
  expect(queued.text).toContain("offline");
  expect(await page.locator("#connection").textContent()).toBe("Offline · 1 pending");
  expect(await page.locator('#signups li[data-status="pending"]').textContent()).toContain(
    "offline@example.com",
  );
  await expect(demo.api.getCustomer("offline@example.com")).rejects.toMatchObject({ status: 404 });
  await page.screenshot({
    path: await artifactPath("storefront-offline-laptop.png"),
    fullPage: true,
  });

  await context.setOffline(false);
  await page.locator('#form-status[data-outcome="created"]').waitFor();
  expect(await page.locator("#form-status").textContent()).toContain("Welcome to the club, Olivia");
  expect(await page.locator("#signups li .pill").allTextContents()).toEqual(["Created"]);
  await expect.poll(() => page.locator("#connection").textContent()).toBe("Online");
  expect(await demo.api.getCustomer("offline@example.com")).toMatchObject({ firstName: "Olivia" });
});

it("asks for an email when the form is sent without one", async () => {
  const result = await submitSignup(page);

  expect(result.outcome).toBe("error");
  const emailError = page
    .locator(".field", { has: page.locator("#email") })
    .locator(".field-error");
  expect(await emailError.textContent()).toContain("Must be a valid email address");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
});
