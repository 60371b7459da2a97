import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The CLI tests spawn the real `patron`, built once from the sources before any test runs.
    globalSetup: ["./vitest.global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
