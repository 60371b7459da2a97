import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The CLI tests spawn dist/cli.js, so the package is built once before any test runs.
    globalSetup: ["./vitest.global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
