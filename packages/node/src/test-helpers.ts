import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { inject } from "vitest";

/**
 * Shared by this package's tests (never by the build): temp folders and the real `patron` CLI,
 * run as a child process (vitest.global-setup.ts builds it from the current sources first).
 */
export const CLI_PATH = inject("cliPath");

/** A fresh temp folder and a function that deletes it. */
export function tempFolder(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `patron-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** What a finished CLI run printed and how it exited. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `patron ...args` to completion. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running `patron serve` child process. */
export interface ServerProcess {
  url: string;
  /** The JSON line `serve --json` printed on stderr at startup (url, database, demo access). */
  info: Record<string, unknown> & { url: string };
  child: ChildProcess;
  /** Every line the server wrote to stdout so far (its JSON request log). */
  logLines: string[];
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `patron serve --port 0 --json ...args` and resolves once it listens. */
export async function startServer(args: string[], cwd?: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI_PATH, "serve", "--port", "0", "--json", ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logLines: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => logLines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const info = await new Promise<ServerProcess["info"]>((resolve, reject) => {
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on("line", (line) => {
      stderr.push(line);
      if (line.startsWith("{")) resolve(JSON.parse(line) as ServerProcess["info"]);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr.join("\n")}`)));
  });
  return {
    url: info.url,
    info,
    child,
    logLines,
    exited,
    stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Sends one JSON request and returns the status and parsed body (status 0 if it failed). */
export async function sendJson(
  method: string,
  url: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  } catch {
    return { status: 0, body: null };
  }
}
