// Prints what each entry of @patron/browser costs an app: minified and gzipped, with every
// dependency bundled in ("shipped"), and this package's own code alone ("own").
// Run after `pnpm build`: node scripts/size.mjs [--json]
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const ENTRIES = ["client", "store", "service-worker", "index"];
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

if (!existsSync(`${dist}client.js`)) {
  console.error("dist/ is missing: run `pnpm build` first.");
  process.exit(1);
}

async function measure(entry, external) {
  const result = await build({
    entryPoints: [`${dist}${entry}.js`],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const byPackage = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const name = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/)?.[1];
    const owner = name ?? (/(^|\/)core\/dist\//.test(path) ? "@patron/core" : "@patron/browser");
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
  }
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, byPackage };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const rows = [];
for (const entry of ENTRIES) {
  const shipped = await measure(entry, []);
  const own = await measure(entry, ["@patron/core", "@patron/core/*", "idb"]);
  const largest = [...shipped.byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(", ");
  rows.push({ entry, shipped, own, largest });
}

if (process.argv.includes("--json")) {
  const json = rows.map(({ entry, shipped, own }) => ({
    entry,
    shipped: { minified: shipped.minified, gzip: shipped.gzip },
    own: { minified: own.minified, gzip: own.gzip },
  }));
  console.log(JSON.stringify(json, null, 2));
} else {
  console.log("entry            shipped min+gz   own min+gz   largest parts (minified)");
  for (const { entry, shipped, own, largest } of rows) {
    const shippedSize = `${kb(shipped.minified)} / ${kb(shipped.gzip)}`;
    const ownSize = `${kb(own.gzip)}`;
    console.log(`${entry.padEnd(16)} ${shippedSize.padEnd(20)} ${ownSize.padEnd(12)} ${largest}`);
  }
}
