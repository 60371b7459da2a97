/**
 * Child processes for the release test: commands that run to completion, servers that run until
 * stopped, and a record of both so a failed test leaves nothing running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { delimiter } from "node:path";

/** Every child still running, so {@link stopAll} can end them after a failure. */
const running = new Set<ChildProcess>();

/**
 * The environment for a child: this process's, without what pnpm, turbo and vitest add for their
 * own scripts (`npm_config_*`, `node_modules/.bin` on `PATH`, `NODE_ENV=test`), so a command in a
 * temporary folder behaves as it would in a user's shell.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|turbo_|vitest)/i.test(key)) continue;
    if (key === "NODE_ENV" || key === "INIT_CWD" || key === "TEST") continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((entry) => !entry.includes("node_modules"))
    .join(delimiter);
  return { ...env, ...extra };
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The command is killed (with everything it started) after this long. */
  timeoutMs: number;
}

/**
 * Spawns a command in its own process group, so a cleanup can stop it with all its children, and
 * remembers it until it exits.
 */
function spawnTracked(command: string, args: string[], options: RunOptions) {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  return child;
}

/** Runs a command to completion. Resolves to its stdout; rejects with the end of its output. */
export function run(command: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(command, args, options);
    let stdout = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) return resolve(stdout);
      const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
      reject(new Error(`${command} ${args.join(" ")} ${how} in ${options.cwd}:\n${tail(output)}`));
    });
  });
}

/** A long-running child, such as a server. */
export interface Server<T> {
  /** What `ready` found in the output. */
  info: T;
  /** Sends the signal and resolves to the exit code (null if a signal ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a server and waits until `ready` recognizes one of its output lines (stdout or stderr).
 * Rejects with its output if it exits first or takes longer than `timeoutMs`.
 */
export function startServer<T>(
  command: string,
  args: string[],
  options: RunOptions & { ready: (line: string) => T | undefined },
): Promise<Server<T>> {
  const child = spawnTracked(command, args, options);
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  let output = "";

  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      killGroup(child, "SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} ${reason}:\n${tail(output)}`));
    };
    const timer = setTimeout(() => fail("did not become ready in time"), options.timeoutMs);
    let pending = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const info = options.ready(line);
        if (info === undefined) continue;
        clearTimeout(timer);
        child.stdout?.removeListener("data", onData);
        child.stderr?.removeListener("data", onData);
        // Keep draining, so a chatty server never blocks on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({
          info,
          stop: (signal = "SIGTERM") => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
        return;
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", (error) => fail(`could not start (${error.message})`));
    void exited.then((code) => {
      clearTimeout(timer);
      fail(`exited with ${code} before it was ready`);
    });
  });
}

/** Kills every child this module started that is still running, with all its descendants. */
export function stopAll(): void {
  for (const child of running) killGroup(child, "SIGKILL");
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Detached children lead their own process group: npm's compilers and Deno go with them.
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function tail(output: string, lines = 40): string {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}
