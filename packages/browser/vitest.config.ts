import { CHROMIUM_ARGS, CHROMIUM_PATH } from "@patron/test-support";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Code that runs inside a page: vitest loads these files into real Chromium.
        // Pre-bundling up front keeps vite from reloading the page when it meets a new import.
        optimizeDeps: { include: ["idb", "@patron/core", "@patron/core/testing"] },
        test: {
          name: "chromium",
          include: ["src/**/*.test.ts"],
          exclude: ["src/**/*.page.test.ts"],
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
      {
        // Whole pages driven from Node: reloads, going offline, Service Workers, several tabs.
        test: {
          name: "pages",
          include: ["src/**/*.page.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
