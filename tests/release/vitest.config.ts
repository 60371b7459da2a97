import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // One file, one flow: build and publish (about 2 minutes), then installs that compile
    // better-sqlite3 from source (about 2 more). Each test waits for what it needs.
    testTimeout: 8 * 60_000,
    hookTimeout: 3 * 60_000,
    teardownTimeout: 60_000,
  },
});
