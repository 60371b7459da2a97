/**
 * Installing from the throwaway registry with plain npm, into an empty folder, the way a user
 * who read a README would.
 */
import { mkdir } from "node:fs/promises";
import { cleanEnv, run } from "./processes.js";

/** The registry this machine's npm uses; the throwaway registry proxies everything else to it. */
export async function machineRegistry(cwd: string): Promise<string> {
  const url = (await run("npm", ["config", "get", "registry"], { cwd, timeoutMs: 30_000 })).trim();
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * `npm init -y && npm install SPECS…` in a new folder. `--prefer-online` makes npm ask the
 * registry again for documents it cached from an earlier run that used the same port.
 */
export async function npmInstall(folder: string, registry: string, specs: string[]) {
  await mkdir(folder, { recursive: true });
  // node-gyp compiles better-sqlite3's two source files side by side when JOBS allows it.
  const env = cleanEnv({ JOBS: "max" });
  const npm = (args: string[]) => run("npm", args, { cwd: folder, env, timeoutMs: 6 * 60_000 });
  await npm(["init", "-y"]);
  await npm(["install", `--registry=${registry}`, "--prefer-online", "--no-audit", ...specs]);
}
