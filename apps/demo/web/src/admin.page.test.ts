import { launchChromium } from "@patron/test-support";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DemoProcess, startDemo } from "../../test/demo-process.js";
import { openPage } from "../../test/signup-page.js";

let demo: DemoProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
  // Twelve customers through Patron's own API: one more page than the admin's ten rows.
  for (let n = 1; n <= 12; n++) {
    await demo.api.upsertCustomer({
      email: `member${String(n).padStart(2, "0")}@example.com`,
      firstName: "Member",
      lastName: String(n),
      phoneNumber: `+1206555${String(n).padStart(4, "0")}`,
      customFields: { loyalty_points: n * 10, favourite_roast: "Ethiopia Guji" },
    });
  }
  page = await browser.newPage();
  await openPage(page, `${demo.url}/admin`);
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const emails = () =>
  page
    .locator("#customers tr")
    .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.email));

it("pages through the customers with the API's cursor, oldest first", async () => {
  await expect.poll(emails).toHaveLength(10);
  expect((await emails())[0]).toBe("member01@example.com");
  expect(await page.locator("#page-label").textContent()).toBe("Page 1");
  expect(await page.getByRole("button", { name: "Previous" }).isDisabled()).toBe(true);

  await page.getByRole("button", { name: "Next" }).click();
  await expect.poll(emails).toEqual(["member11@example.com", "member12@example.com"]);
  expect(await page.locator("#page-label").textContent()).toBe("Page 2");
  expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);

  await page.getByRole("button", { name: "Previous" }).click();
  await expect.poll(emails).toHaveLength(10);
});

it("lists the store's custom field declarations with their inferred types", async () => {
  const rows = page.locator("#declarations tr");
  const declared = await rows.evaluateAll((list) =>
    list.map((row) => [
      row.querySelector("code")?.textContent,
      row.querySelector(".type-badge")?.textContent,
    ]),
  );
  expect(declared).toEqual([
    ["loyalty_points", "NUMBER"],
    ["favourite_roast", "STRING"],
  ]);
});

it("shows a customer's full profile with each custom field's declared type", async () => {
  await page.locator('#customers tr[data-email="member03@example.com"]').click();
  await page.locator("#detail-title", { hasText: "Member 3" }).waitFor();
  expect(await page.locator('#customers tr[aria-selected="true"]').getAttribute("data-email")).toBe(
    "member03@example.com",
  );
  expect(await page.locator("#detail .phones li").allTextContents()).toEqual([
    "+12065550003latest",
  ]);
  const points = page.locator('#detail tr[data-field="loyalty_points"] td');
  expect(await points.allTextContents()).toEqual(["loyalty_points", "30", "NUMBER"]);
});
