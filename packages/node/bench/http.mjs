/**
 * HTTP benchmark: `patron serve` on SQLite against a bare `node:http` server that parses the
 * same JSON body and answers. Both run as child processes on 127.0.0.1 and take the same load
 * from autocannon in this process: PUT upserts over a rotating set of 1,000 emails, each body
 * carrying a fresh `loyalty_points` so every Patron request is a real write.
 *
 *   pnpm bench                     (builds dist/ first)
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=50 node bench/http.mjs [--json]
 *
 * Written as plain JavaScript because Node 20 cannot run TypeScript directly.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createStore, issueToken } from "@patron/core";
import { SEED_REQUEST } from "@patron/core/testing";
import autocannon from "autocannon";
import { SqliteStore } from "../dist/index.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const EMAILS = Number(process.env.BENCH_EMAILS ?? 1000);
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const BARE_SERVER = fileURLToPath(new URL("./bare-server.mjs", import.meta.url));

/** Starts a child process and resolves with the URL it reports as a JSON line on stderr. */
async function startChild(args, stdoutFile) {
  const stdout = stdoutFile ? openSync(stdoutFile, "w") : "ignore";
  const child = spawn(process.execPath, args, { stdio: ["ignore", stdout, "pipe"] });
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (line.startsWith("{")) resolve(JSON.parse(line).url);
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Runs autocannon with the rotating upsert bodies; one counter per run. */
function load(url, path, token, seconds) {
  let counter = 0;
  return autocannon({
    url: url + path,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        setupRequest(request) {
          const n = counter++;
          const body = {
            ...SEED_REQUEST,
            email: `bench-${n % EMAILS}@example.com`,
            customFields: { ...SEED_REQUEST.customFields, loyalty_points: n },
          };
          return { ...request, body: JSON.stringify(body) };
        },
      },
    ],
  });
}

/**
 * CPU time (user + system, in ms) a process has used so far, from /proc on Linux. It shows the
 * server's own cost per request, which throughput alone hides when the load generator or other
 * work on the machine competes for the same cores. `undefined` where /proc is missing.
 */
function cpuMs(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const fields = readFileSync(file, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function measure(name, server, path, token) {
  if (WARMUP_SECONDS > 0) await load(server.url, path, token, WARMUP_SECONDS);
  const cpuBefore = cpuMs(server.pid);
  const result = await load(server.url, path, token, SECONDS);
  const cpuUsed = cpuMs(server.pid) - cpuBefore;
  const failures = result.errors + result.timeouts + result.non2xx;
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    serverCpuMicrosPerRequest: Number.isNaN(cpuUsed)
      ? undefined
      : Math.round((cpuUsed * 1000) / result.requests.total),
    failures,
  };
}

const folder = mkdtempSync(join(tmpdir(), "patron-bench-"));
try {
  const database = join(folder, "bench.db");
  const setup = SqliteStore.open(database);
  const shop = await createStore(setup, "Bench shop");
  const token = await issueToken(setup, shop.id);
  await setup.close();
  const path = `/v2.2/stores/${shop.id}/customers`;

  const bare = await startChild([BARE_SERVER]);
  const bareResult = await measure("bare node:http", bare, path, token);
  await bare.stop();

  const patron = await startChild(
    [CLI, "serve", "--db", database, "--port", "0", "--json"],
    join(folder, "requests.log"),
  );
  const patronResult = await measure("patron serve (SQLite)", patron, path, token);
  const exitCode = await patron.stop();

  const ratio = patronResult.requestsPerSecond / bareResult.requestsPerSecond;
  const summary = {
    seconds: SECONDS,
    connections: CONNECTIONS,
    emails: EMAILS,
    bare: bareResult,
    patron: patronResult,
    ratio: Math.round(ratio * 100) / 100,
    targets: { ratioAtLeast: 0.5, p99UnderMs: 25 },
    met: ratio >= 0.5 && patronResult.p99Ms < 25,
    patronExitCode: exitCode,
  };
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`${CONNECTIONS} connections, ${SECONDS} s each, ${EMAILS} rotating emails\n`);
    for (const row of [bareResult, patronResult]) {
      console.log(
        `${row.name.padEnd(24)} ${String(row.requestsPerSecond).padStart(7)} req/s` +
          `   p50 ${String(row.p50Ms).padStart(3)} ms   p99 ${String(row.p99Ms).padStart(3)} ms` +
          `   server CPU ${String(row.serverCpuMicrosPerRequest ?? "?").padStart(4)} µs/req` +
          `   failures ${row.failures}`,
      );
    }
    console.log(
      `\nratio ${summary.ratio} (target >= 0.5), p99 ${patronResult.p99Ms} ms (target < 25)`,
    );
    console.log(summary.met ? "targets met" : "targets NOT met");
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
