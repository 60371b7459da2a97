/**
 * `@patron/deno` as a Deno user gets it from npm: an `npm:` specifier resolved against the
 * throwaway registry (Deno reads `NPM_CONFIG_REGISTRY`), with a cache of its own.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, run } from "./processes.js";

/** The Deno binary from this package's `deno` devDependency. */
const DENO = fileURLToPath(new URL("../node_modules/.bin/deno", import.meta.url));

/** What the script prints on its last line, after `RESULT `. */
export interface DenoResult {
  statuses: number[];
  bodies: { id: string; email: string; created: boolean }[];
  profile: { email: string; firstName: string; customFields: Record<string, unknown> };
}

export interface DenoApp {
  /** Downloads the script's dependencies into the app's own `DENO_DIR`. */
  cache(): Promise<void>;
  /** Runs the script: it serves on a free port, sends the seed request twice, reads it back. */
  run(): Promise<DenoResult>;
}

/** Writes a script that imports `@patron/deno@VERSION` from npm into `folder`. */
export async function denoApp(
  folder: string,
  registry: string,
  version: string,
  seed: Record<string, unknown>,
): Promise<DenoApp> {
  await mkdir(folder, { recursive: true });
  const script = join(folder, "main.ts");
  await writeFile(script, denoScript(version, seed));
  const options = {
    cwd: folder,
    env: cleanEnv({
      NPM_CONFIG_REGISTRY: registry,
      DENO_DIR: join(folder, ".deno"),
      DENO_NO_UPDATE_CHECK: "1",
    }),
    timeoutMs: 3 * 60_000,
  };
  // Deno 2.9 skips npm versions younger than a day unless told otherwise; ours are seconds old.
  const fresh = "--minimum-dependency-age=0";
  return {
    cache: async () => {
      await run(DENO, ["cache", "--quiet", fresh, script], options);
    },
    run: async () => {
      const args = ["run", "--allow-all", "--unstable-kv", fresh, script];
      const output = await run(DENO, args, options);
      const line = output.split("\n").find((l) => l.startsWith("RESULT "));
      if (!line) throw new Error(`the Deno script printed no result:\n${output}`);
      return JSON.parse(line.slice("RESULT ".length)) as DenoResult;
    },
  };
}

function denoScript(version: string, seed: Record<string, unknown>): string {
  return `import { createStore, issueToken } from "npm:@patron/core@${version}";
import { openKvStore, serve } from "npm:@patron/deno@${version}";

const seed = ${JSON.stringify(seed)};
const store = await openKvStore(":memory:");
const { id: storeId } = await createStore(store, "Deno release test");
const token = await issueToken(store, storeId);
const server = await serve({ store, port: 0, shutdownSignals: false });

const customers = server.url + "/v2.2/stores/" + storeId + "/customers";
const headers = { Authorization: "Bearer " + token, "Content-Type": "application/json" };
const statuses = [];
const bodies = [];
for (let i = 0; i < 2; i++) {
  const response = await fetch(customers, { method: "PUT", headers, body: JSON.stringify(seed) });
  statuses.push(response.status);
  bodies.push(await response.json());
}
const read = await fetch(customers + "?email=" + encodeURIComponent(seed.email), { headers });
const profile = await read.json();
await server.close();
console.log("RESULT " + JSON.stringify({ statuses, bodies, profile }));
`;
}
