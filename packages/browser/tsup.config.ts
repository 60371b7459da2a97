import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      client: "src/client.ts",
      store: "src/store.ts",
      "service-worker": "src/service-worker.ts",
    },
    format: ["esm"],
    dts: true,
    // Both builds run at once: the worker script is left for the other build to overwrite.
    clean: ["**/*", "!patron-sw.js", "!patron-sw.js.map"],
    sourcemap: true,
    target: "es2022",
  },
  {
    // A ready-to-copy worker script: everything bundled, nothing to resolve at runtime.
    entry: { "patron-sw": "src/patron-sw.ts" },
    format: ["iife"],
    outExtension: () => ({ js: ".js" }),
    noExternal: [/.*/],
    platform: "browser",
    minify: true,
    sourcemap: true,
    target: "es2022",
  },
]);
