import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { EXIT_WITH_PARENT } from "@patron/test-support";

/** A `patron serve` process on 127.0.0.1 with one store, and a token for it. */
export interface PatronServer {
  origin: string;
  storeId: string;
  token: string;
  close(): Promise<void>;
}

const CLI = join(
  dirname(createRequire(import.meta.url).resolve("@patron/node/package.json")),
  "dist/cli.js",
);

/** Runs `patron` to completion and parses its `--json` output. */
async function patron<T>(...args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args, "--json"]);
  return JSON.parse(stdout) as T;
}

/**
 * Starts the real `patron serve` from `@patron/node` on a fresh SQLite file, after creating a
 * store and a token with the same CLI.
 */
export async function startPatronServer(): Promise<PatronServer> {
  const folder = await mkdtemp(join(tmpdir(), "patron-browser-"));
  const db = join(folder, "patron.db");
  const { id: storeId } = await patron<{ id: string }>("stores", "create", "--db", db);
  const { token } = await patron<{ token: string }>(
    "tokens",
    "create",
    "--store",
    storeId,
    "--db",
    db,
  );

  const child = spawn(
    process.execPath,
    ["--import", EXIT_WITH_PARENT, CLI, "serve", "--db", db, "--port", "0", "--json"],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      output += chunk;
      const line = output.split("\n").find((text) => text.startsWith("{"));
      if (line) resolve(new URL((JSON.parse(line) as { url: string }).url).origin);
    });
    child.once("exit", (code) => reject(new Error(`patron serve exited (${code}): ${output}`)));
  });

  return {
    origin,
    storeId,
    token,
    async close() {
      child.kill("SIGTERM");
      await exited;
      await rm(folder, { recursive: true, force: true });
    },
  };
}
