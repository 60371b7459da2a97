import { defineConfig } from "tsup";

/**
 * The server, bundled into dist/server.js next to the pages in dist/web. Its dependencies stay
 * external: they are the workspace's `@patron/*` packages and `@hono/node-server`.
 */
export default defineConfig({
  entry: { server: "server/main.ts" },
  format: ["esm"],
  // `vite build` has just written dist/web; cleaning here would delete it.
  clean: false,
  sourcemap: true,
  target: "node20",
  platform: "node",
});
