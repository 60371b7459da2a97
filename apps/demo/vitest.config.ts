import { defineConfig } from "vitest/config";

/**
 * Every test runs in Node. The page tests drive Debian's Chromium with playwright-core against
 * the built demo server (`pnpm test` builds it first), each file on its own port and database.
 */
export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "web/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Pages answer within milliseconds when alone, but CI runs them beside other packages' tests.
    expect: { poll: { timeout: 10_000 } },
  },
});
