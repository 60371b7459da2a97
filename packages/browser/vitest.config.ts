import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";

/** Chromium from Debian; Playwright's own download is not available on every machine. */
export const CHROMIUM_PATH = process.env.PATRON_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  test: {
    projects: [
      {
        // Code that runs inside a page: vitest loads these files into real Chromium.
        test: {
          name: "chromium",
          include: ["src/**/*.test.ts"],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
            }),
            instances: [{ browser: "chromium" }],
          },
        },
      },
    ],
  },
});
