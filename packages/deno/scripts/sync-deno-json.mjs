/**
 * Keeps deno.json (what JSR publishes) in step with package.json (what npm publishes) after
 * `changeset version`, which only bumps package.json: deno.json's `version`, and the range of
 * every `npm:@patron/…` import, which must include the version published alongside.
 * A caret range on 0.x excludes the next minor, so without this the first minor release fails
 * `deno bundle` (its type check cannot resolve @patron/core) and `deno publish`.
 */
import { readFileSync, writeFileSync } from "node:fs";

const denoJson = new URL("../deno.json", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const before = readFileSync(denoJson, "utf8");
const after = before
  .replace(/("version":\s*)"[^"]*"/, `$1"${version}"`)
  .replace(/(npm:\/?@patron\/[a-z-]+)@[^"/]+/g, `$1@^${version}`);

if (after !== before) {
  writeFileSync(denoJson, after);
  console.log(`deno.json: version and @patron imports now follow ${version}`);
}
