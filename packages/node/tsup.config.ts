import { defineConfig } from "tsup";

/**
 * One build for the library and the CLI so they share chunks. The CLI's `#!/usr/bin/env node`
 * line is the first line of src/cli.ts; esbuild keeps an entry point's hashbang, so only
 * dist/cli.js gets it (a `banner` would stamp it on every output file).
 */
export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
});
