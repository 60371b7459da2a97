import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { build } from "tsup";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A `patron` CLI built from the current sources, for tests that spawn real server processes. */
export interface BuiltCli {
  /** The entry file to run with `node`. */
  path: string;
  /** Deletes the build. */
  remove(): Promise<void>;
}

/**
 * Builds `src/cli.ts` into a fresh folder under `node_modules/.cache` (inside the package, so the
 * build resolves the package's dependencies), so a test never runs a stale `dist`.
 */
export async function buildCli(): Promise<BuiltCli> {
  const outDir = join(
    packageDir,
    "node_modules",
    ".cache",
    `patron-cli-${randomBytes(4).toString("hex")}`,
  );
  await build({
    entry: { cli: join(packageDir, "src", "cli.ts") },
    outDir,
    format: ["esm"],
    platform: "node",
    target: "node20",
    dts: false,
    config: false,
    silent: true,
  });
  return {
    path: join(outDir, "cli.js"),
    remove: () => rm(outDir, { recursive: true, force: true }),
  };
}

/** One running `patron serve` process. */
export interface PatronProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/** Spawns `patron serve --db <database> --port 0` and resolves with its URL once it listens. */
export async function startPatron(cli: BuiltCli, database: string): Promise<PatronProcess> {
  const child = spawn(
    process.execPath,
    [cli.path, "serve", "--db", database, "--port", "0", "--json"],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    const output: string[] = [];
    lines.on("line", (line) => {
      output.push(line);
      if (line.startsWith("{")) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) =>
      reject(new Error(`patron serve exited (${code}): ${output.join("\n")}`)),
    );
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A response as the tests look at it. */
export interface HttpResult {
  status: number;
  contentType: string;
  body: unknown;
}

/** Keeps a bounded number of sockets per server, so thousands of requests queue instead of SYN-flooding. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Sends one JSON request with node:http (a socket error becomes status 0). */
export function sendJson(
  method: string,
  url: string,
  token: string,
  body?: unknown,
): Promise<HttpResult> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const contentType = String(res.headers["content-type"] ?? "");
          const body = contentType.includes("json") && text ? JSON.parse(text) : text;
          resolve({ status: res.statusCode ?? 0, contentType, body });
        });
      },
    );
    req.on("error", () => resolve({ status: 0, contentType: "", body: undefined }));
    req.end(payload);
  });
}
