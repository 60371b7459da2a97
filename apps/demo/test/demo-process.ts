import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type PatronClient } from "@patron/core/client";
import { EXIT_WITH_PARENT } from "@patron/test-support";

/** The built demo server, as `pnpm start` runs it. */
export const SERVER_SCRIPT = fileURLToPath(new URL("../dist/server.js", import.meta.url));

/** What the demo prints with `--json` when it has started. */
export interface DemoStartup {
  url: string;
  database: string;
  storeId: string;
  token: string;
  createdStore: boolean;
  upsert: string;
  get: string;
}

/** A demo server process on a free port with its own database, and a client for its API. */
export interface DemoProcess extends DemoStartup {
  /** Patron's client on `/v2.2` with the printed store token: the way to check what was stored. */
  api: PatronClient;
  child: ChildProcess;
  /** Stops the server with SIGTERM and resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Stops the server and deletes its database. */
  close(): Promise<void>;
}

/**
 * Starts `node dist/server.js --port 0 --json` on a database in a new temporary folder, or on
 * `db` and `port` when given (to restart on the same data and origin).
 */
export async function startDemo(
  options: { db?: string; port?: number } = {},
): Promise<DemoProcess> {
  if (!existsSync(SERVER_SCRIPT)) throw new Error("Build the demo first: pnpm run build");
  const folder = options.db ? undefined : await mkdtemp(join(tmpdir(), "patron-demo-"));
  const db = options.db ?? join(folder!, "demo.db");
  const child = spawn(
    process.execPath,
    [
      "--import",
      EXIT_WITH_PARENT,
      SERVER_SCRIPT,
      "--port",
      String(options.port ?? 0),
      "--db",
      db,
      "--json",
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const startup = await new Promise<DemoStartup>((resolve, reject) => {
    let output = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      output += chunk;
      const line = output.split("\n").find((text) => text.startsWith("{"));
      if (line) resolve(JSON.parse(line) as DemoStartup);
    });
    child.once("exit", (code) => reject(new Error(`The demo exited (${code}): ${output}`)));
  });

  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  return {
    ...startup,
    api: createClient({ baseUrl: startup.url, token: startup.token, storeId: startup.storeId }),
    child,
    stop,
    async close() {
      await stop();
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}
