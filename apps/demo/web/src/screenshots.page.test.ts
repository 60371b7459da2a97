import { launchChromium } from "@patron/test-support";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactPath } from "../../test/artifacts.js";
import { type DemoProcess, startDemo } from "../../test/demo-process.js";
import { fillSignup, JANE, openPage, submitSignup } from "../../test/signup-page.js";

const VIEWPORTS = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

let demo: DemoProcess;
let browser: Browser;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
  await demo.api.upsertCustomer({
    email: "ana.lopez@example.com",
    firstName: "Ana",
    lastName: "López",
    phoneNumber: "+52 55 1234 5678",
    location: { city: "Mexico City", countryCode: "MX", country: "Mexico" },
    customFields: { marketing_opt_in: false, loyalty_points: 40 },
  });
  await demo.api.upsertCustomer({ email: "sam@example.com", firstName: "Sam", lastName: "Okafor" });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

/** Problems a person would notice: a sideways scroll, an input without a visible label. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      problems.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    for (const input of document.querySelectorAll<HTMLInputElement>("input, select")) {
      const label = input.labels?.[0];
      if (!label || label.getBoundingClientRect().height === 0)
        problems.push(`#${input.id} unlabelled`);
    }
    return problems;
  });
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`at ${name} width (${viewport.width}×${viewport.height})`, () => {
    it("the storefront shows a labelled form, its errors and its result", async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      await openPage(page, demo.url);
      expect(await layoutProblems(page)).toEqual([]);

      await fillSignup(page, { ...JANE, email: `${name}@example.com`, phoneNumber: "555-12" });
      expect((await submitSignup(page)).outcome).toBe("error");
      await page.screenshot({
        path: await artifactPath(`storefront-error-${name}.png`),
        fullPage: true,
      });

      await fillSignup(page, { phoneNumber: JANE.phoneNumber });
      expect((await submitSignup(page)).outcome).toBe("created");
      await page.screenshot({ path: await artifactPath(`storefront-${name}.png`), fullPage: true });
      expect(await layoutProblems(page)).toEqual([]);
      // The 400 of the refused phone is logged by Chromium itself; anything else is a fault.
      expect(consoleErrors.filter((text) => !text.includes("status of 400"))).toEqual([]);
      await context.close();
    });

    it("the admin shows the customers, a profile and the declarations", async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await openPage(page, `${demo.url}/admin`);
      await page.locator('#customers tr[data-email="ana.lopez@example.com"]').click();
      await page.locator("#detail .phones").waitFor();
      await page.screenshot({ path: await artifactPath(`admin-${name}.png`), fullPage: true });
      expect(await layoutProblems(page)).toEqual([]);
      await context.close();
    });
  });
}
