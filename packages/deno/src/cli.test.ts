import { createClient } from "@patron/core/client";
import { assert, assertEqual, SEED_REQUEST } from "@patron/core/testing";

const CLI = new URL("./cli.ts", import.meta.url).pathname;
const PACKAGE_DIR = new URL("..", import.meta.url).pathname;
const PERMISSIONS = ["--allow-net=127.0.0.1", "--allow-read", "--allow-write", "--allow-env"];

/** Runs one CLI command to its end with the real `deno` binary. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, CLI, ...args],
    cwd: PACKAGE_DIR,
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** A `patron serve` subprocess on a free port, with every stdout line it has written so far. */
interface ServerProcess {
  url: string;
  lines: Record<string, unknown>[];
  process: Deno.ChildProcess;
  /** Sends a signal and resolves with the exit code once the process and its output end. */
  stop(signal?: Deno.Signal): Promise<number>;
}

async function startServer(kvPath: string): Promise<ServerProcess> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, CLI, "serve", "--port", "0", "--kv", kvPath],
    cwd: PACKAGE_DIR,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: Record<string, unknown>[] = [];
  const listening = Promise.withResolvers<string>();
  const reading = (async () => {
    let buffered = "";
    for await (const text of process.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += text;
      const complete = buffered.split("\n");
      buffered = complete.pop()!;
      for (const line of complete) {
        const record = JSON.parse(line);
        lines.push(record);
        if (record.msg === "listening") listening.resolve(record.url);
      }
    }
    listening.reject(new Error("the server ended before it listened"));
  })();
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    try {
      process.kill(signal);
    } catch {
      // Already gone: its status says how it ended.
    }
    const { code } = await process.status;
    await reading;
    return code;
  };
  try {
    return { url: await listening.promise, lines, process, stop };
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
}

/**
 * A temp folder with a store and a token made by the CLI, and `count` servers sharing that
 * database, stopped by `stopSignal` afterwards. Returns the first server with its log lines.
 */
async function withServers(
  count: number,
  work: (context: { servers: ServerProcess[]; storeId: string; token: string }) => Promise<void>,
  stopSignal: Deno.Signal = "SIGTERM",
): Promise<ServerProcess> {
  const dir = await Deno.makeTempDir({ prefix: "patron-cli-" });
  const kvPath = `${dir}/patron.kv`;
  const servers: ServerProcess[] = [];
  try {
    const created = await runCli([
      "stores",
      "create",
      "--name",
      "CLI shop",
      "--kv",
      kvPath,
      "--json",
    ]);
    assertEqual(created.code, 0, `stores create succeeds: ${created.stderr}`);
    const storeId = JSON.parse(created.stdout).id as string;
    const issued = await runCli(["tokens", "create", "--store", storeId, "--kv", kvPath, "--json"]);
    assertEqual(issued.code, 0, `tokens create succeeds: ${issued.stderr}`);
    const token = JSON.parse(issued.stdout).token as string;

    for (let i = 0; i < count; i++) servers.push(await startServer(kvPath));
    await work({ servers, storeId, token });
    return servers[0]!;
  } finally {
    const codes = await Promise.all(servers.map((server) => server.stop(stopSignal)));
    await Deno.remove(dir, { recursive: true });
    assert(
      codes.every((code) => code === 0),
      `SIGTERM ends every server with code 0: ${codes}`,
    );
  }
}

Deno.test("the CLI's server answers the seed with 201, then 200, and GET by email", async () => {
  const server = await withServers(1, async ({ servers: [server], storeId, token }) => {
    const url = `${server!.url}/v2.2/stores/${storeId}/customers`;
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const put = () => fetch(url, { method: "PUT", headers, body: JSON.stringify(SEED_REQUEST) });

    const first = await put();
    const firstBody = await first.json();
    const second = await put();
    const secondBody = await second.json();
    const found = await fetch(`${url}?email=${encodeURIComponent("Jane@Example.com")}`, {
      headers,
    });
    const profile = await found.json();

    assertEqual([first.status, firstBody.created], [201, true], "first PUT creates");
    assertEqual([second.status, secondBody.id], [200, firstBody.id], "second PUT updates");
    assertEqual(found.status, 200, "GET finds the customer");
    assertEqual(profile.displayName, "Jane Smith", "profile has the derived name");
    assertEqual(profile.customFields, SEED_REQUEST.customFields, "custom fields read back");
    assert(found.headers.get("X-Request-Id"), "every response carries a request id");
  });

  const requests = server.lines.filter((line) => line.msg === "request");
  assertEqual(requests.length, 3, "one log line per request");
  assertEqual(
    Object.keys(requests[0]!).sort(),
    ["durationMs", "level", "method", "msg", "requestId", "route", "status", "time"],
    "a request line holds id, method, route, status and duration only",
  );
  assertEqual(requests[2]!.route, "/v2.2/stores/:storeId/customers", "the route is the pattern");
  const log = JSON.stringify(server.lines);
  for (const secret of ["jane@example.com", "+11234567890", "pat_", "Seattle"]) {
    assert(!log.toLowerCase().includes(secret.toLowerCase()), `the log never holds ${secret}`);
  }
  assertEqual(server.lines.at(-1)?.msg, "stopped", "shutdown is logged last");
});

Deno.test("the core client talks to the Deno server unchanged", async () => {
  await withServers(
    1,
    async ({ servers: [server], storeId, token }) => {
      const client = createClient({ baseUrl: `${server!.url}/v2.2`, token, storeId });

      const created = await client.upsertCustomer({ ...SEED_REQUEST, email: "client@example.com" });
      const profile = await client.getCustomer("client@example.com");
      const page = await client.listCustomers({ limit: 10 });
      const fields = await client.listCustomFields();

      assertEqual(created.created, true, "created through the client");
      assertEqual(profile.id, created.id, "read back through the client");
      assertEqual(
        page.data.map((customer) => customer.id),
        [created.id],
        "listed",
      );
      assertEqual(fields.length, 5, "the seed's five custom fields are declared");
    },
    "SIGINT",
  );
});

/** PUTs one new email from 100 clients at once, spread over the servers, and checks the merge. */
async function raceOneEmail(servers: ServerProcess[], storeId: string, token: string) {
  const clients = servers.map((server) =>
    createClient({ baseUrl: server.url, token, storeId, retries: 0 }),
  );
  const phones = Array.from({ length: 100 }, (_, i) => `+1555100${String(i).padStart(4, "0")}`);

  const results = await Promise.all(
    phones.map((phoneNumber, i) =>
      clients[i % clients.length]!.upsertCustomer({ email: "crowd@example.com", phoneNumber }),
    ),
  );

  assertEqual(results.filter((result) => result.created).length, 1, "exactly one created");
  assertEqual(new Set(results.map((result) => result.id)).size, 1, "one customer");
  const profile = await clients[0]!.getCustomer("crowd@example.com");
  assertEqual([...(profile.phoneNumbers ?? [])].sort(), phones, "every phone number kept");
}

Deno.test("100 concurrent PUTs of one new email: one created, all 100 phones", async () => {
  await withServers(1, ({ servers, storeId, token }) => raceOneEmail(servers, storeId, token));
});

Deno.test("two server processes sharing one KV file still create one customer", async () => {
  await withServers(2, ({ servers, storeId, token }) => raceOneEmail(servers, storeId, token));
});
