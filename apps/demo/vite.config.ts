import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const web = (path: string) => fileURLToPath(new URL(`./web/${path}`, import.meta.url));

/**
 * The two pages, built into dist/web for the demo server to serve. `pnpm dev` serves them with
 * hot reload instead and sends the API calls to a demo server already running on port 8787.
 */
export default defineConfig({
  root: web(""),
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: { storefront: web("index.html"), admin: web("admin/index.html") },
    },
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/demo-api": "http://127.0.0.1:8787" },
  },
});
