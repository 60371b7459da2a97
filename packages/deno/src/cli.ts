/**
 * The `patron` command on Deno: the Node CLI's `serve`, `stores create` and `tokens create`, with
 * `--kv PATH` in place of `--db`. Run it with
 * `deno run --unstable-kv --allow-net --allow-read --allow-write --allow-env src/cli.ts --help`.
 *
 * @module
 */
import { createStore, issueToken, PatronError } from "@patron/core";
import { openKvStore } from "./kv-store.ts";
import { serve } from "./serve.ts";

/** Where the CLI keeps its database when neither `--kv` nor `PATRON_KV_PATH` says. */
export const DEFAULT_KV_PATH = ".patron/patron.kv";

const KV_HELP = `  --kv PATH      Deno KV file, :memory: or KV Connect URL
                 (default: $PATRON_KV_PATH, else ${DEFAULT_KV_PATH})`;

const USAGE = {
  main: `Usage: patron <command> [options]

Commands:
  serve           Serve the Patron API over HTTP
  stores create   Create a store (tenant) and print its id
  tokens create   Issue an API token for a store; it is shown once

Run "patron <command> --help" for a command's options.`,
  serve: `Usage: patron serve [--kv PATH] [--port 8787] [--host 127.0.0.1]

Serves the API until SIGINT or SIGTERM, logging one JSON line per request.

${KV_HELP}
  --port PORT    port to listen on; 0 picks a free one (default: 8787)
  --host HOST    address to listen on (default: 127.0.0.1)`,
  stores: `Usage: patron stores create [--name NAME] [--kv PATH] [--json]

${KV_HELP}
  --name NAME    the store's name (default: "My store")
  --json         print {"id","name","createdAt"} instead of text`,
  tokens: `Usage: patron tokens create --store ID [--kv PATH] [--json]

${KV_HELP}
  --store ID     the store the token is for (required)
  --json         print {"token","storeId"} instead of text`,
} as const;

const VALUE_OPTIONS = ["kv", "port", "host", "name", "store"] as const;
const FLAG_OPTIONS = ["json", "help"] as const;

/** The options of one command line; each command accepts a subset. */
type Values = Partial<Record<(typeof VALUE_OPTIONS)[number], string>> &
  Partial<Record<(typeof FLAG_OPTIONS)[number], boolean>>;

/** A mistake in the command line: its message and the usage text to show with it. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/**
 * Runs one command line and returns the exit code: 0 on success, 1 when the command failed,
 * 2 when the command line itself is wrong. `serve` resolves once the server has stopped.
 */
export async function main(args: readonly string[]): Promise<number> {
  try {
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${error.usage}`);
      return 2;
    }
    console.error(error instanceof PatronError ? error.message : String(error));
    return 1;
  }
}

/** Each command: the options it takes and what it does. Any other option is a usage error. */
const COMMANDS: Record<
  string,
  { options: readonly string[]; run(values: Values, usage: string): Promise<void> }
> = {
  serve: { options: ["kv", "port", "host"], run: serveCommand },
  "stores create": { options: ["kv", "name", "json"], run: createStoreCommand },
  "tokens create": { options: ["kv", "store", "json"], run: createTokenCommand },
};

async function run(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args);
  const usage = usageFor(positionals[0]);
  if (values.help || positionals.length === 0) {
    console.log(usage);
    return 0;
  }

  const name = positionals.join(" ");
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${name}"`, usage);
  const extra = Object.keys(values).find((option) => !command.options.includes(option));
  if (extra) throw new UsageError(`"${name}" does not take --${extra}`, usage);
  await command.run(values, usage);
  return 0;
}

async function serveCommand(values: Values, usage: string): Promise<void> {
  const port = Number(values.port ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number, got "${values.port}"`, usage);
  }
  const store = await openKvStore(await kvPath(values.kv));
  const server = await serve({ store, port, host: values.host });
  await server.finished;
}

async function createStoreCommand(values: Values): Promise<void> {
  const store = await openKvStore(await kvPath(values.kv));
  try {
    const record = await createStore(store, values.name ?? "My store");
    console.log(
      values.json ? JSON.stringify(record) : `Created store "${record.name}": ${record.id}`,
    );
  } finally {
    await store.close();
  }
}

async function createTokenCommand(values: Values, usage: string): Promise<void> {
  if (!values.store) throw new UsageError("--store is required", usage);
  const store = await openKvStore(await kvPath(values.kv));
  try {
    const token = await issueToken(store, values.store);
    console.log(
      values.json
        ? JSON.stringify({ token, storeId: values.store })
        : `${token}\nThis token is shown once; Patron keeps only its hash.`,
    );
  } finally {
    await store.close();
  }
}

/**
 * Splits a command line into words and options: `--name value`, `--name=value`, `--json`, `-h`.
 * Hand-written so the CLI needs nothing from Node's compatibility layer.
 */
function parseCommandLine(args: readonly string[]): { values: Values; positionals: string[] } {
  const values: Values = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-h") {
      values.help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = splitOnce(arg.slice(2), "=");
    if (isOneOf(FLAG_OPTIONS, name) && inline === undefined) {
      values[name] = true;
    } else if (isOneOf(VALUE_OPTIONS, name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`, USAGE.main);
      values[name] = value;
    } else {
      throw new UsageError(`Unknown option "${arg}"`, USAGE.main);
    }
  }
  return { values, positionals };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function isOneOf<T extends string>(options: readonly T[], name: string): name is T {
  return (options as readonly string[]).includes(name);
}

function usageFor(command: string | undefined): string {
  if (command === "serve" || command === "stores" || command === "tokens") return USAGE[command];
  return USAGE.main;
}

/**
 * The database to open: a file, whose folder is created when missing, `:memory:`, or an
 * `https://` KV Connect URL (a Deno Deploy database), which `Deno.openKv` takes as is.
 */
async function kvPath(explicit: string | undefined): Promise<string> {
  const path = explicit ?? Deno.env.get("PATRON_KV_PATH") ?? DEFAULT_KV_PATH;
  if (path !== ":memory:" && !/^[a-z][a-z0-9+.-]+:\/\//i.test(path)) {
    const folder = path.replace(/[\\/][^\\/]*$/, "");
    if (folder !== path && folder !== "") await Deno.mkdir(folder, { recursive: true });
  }
  return path;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
