import { serve } from "../serve.js";
import { displayLocation, openCommandStore, parseCommand, UsageError } from "./args.js";
import { demoBanner, demoCommands, prepareDemo } from "./demo.js";

const HELP = `Usage: patron serve [options]

Serve the Patron API (PUT/GET /v2.2/stores/{storeId}/customers). Logs one JSON line per
request on stdout. SIGTERM or Ctrl+C stops it gracefully: requests in flight finish, the
database is closed, and the process exits 0.

Options:
  --port PORT   Port to listen on (default 8787; 0 picks a free one)
  --host HOST   Address to bind (default 127.0.0.1, this machine only)
  --cors-origin ORIGIN
                Let pages from ORIGIN (such as https://shop.example) call the API from a
                browser; repeat for several, or give * for any. None by default
  --demo        Create a demo store (or reuse it), issue a token and print a ready-to-paste
                curl command for it
  --db FILE     The database (default $PATRON_DATABASE_URL, else .patron/patron.db,
                created with its folder when missing), or a postgres://user:pass@host/db URL
  --pool-size N PostgreSQL: connections this server keeps at most (default 10)
  --statement-timeout MS
                PostgreSQL: cancel any statement running longer than MS (default 10000)
  --json        Print the startup message (and demo token) as one JSON line on stderr
  -h, --help    Show this help
`;

/** `patron serve`. Resolves only if serving fails to start; otherwise signals end the process. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand("serve", argv, {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    demo: { type: "boolean", default: false },
    "cors-origin": { type: "string", multiple: true, default: [] },
    "pool-size": { type: "string", default: "10" },
    "statement-timeout": { type: "string", default: "10000" },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) {
    throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  }

  const poolSize = positiveInteger("pool-size", values["pool-size"]);
  const statementTimeoutMs = positiveInteger("statement-timeout", values["statement-timeout"]);

  const { store, location } = await openCommandStore(values.db, {
    postgres: { poolSize, statementTimeoutMs },
  });
  try {
    const demo = values.demo ? await prepareDemo(store) : undefined;
    const corsOrigins = values["cors-origin"];
    const server = await serve({
      store,
      port,
      host: values.host,
      corsOrigins: corsOrigins.includes("*") ? "*" : corsOrigins,
    });
    const database = displayLocation(location);
    if (values.json) {
      const message = {
        url: server.url,
        database,
        ...demo,
        ...(demo && demoCommands(server.url, demo)),
      };
      process.stderr.write(`${JSON.stringify(message)}\n`);
    } else if (demo) {
      process.stderr.write(demoBanner(server.url, demo));
    } else {
      process.stderr.write(`Patron is running at ${server.url} (database ${database})\n`);
    }
    return new Promise<number>(() => {});
  } catch (error) {
    await store.close();
    throw error;
  }
}

function positiveInteger(option: string, value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) {
    throw new UsageError(`--${option} must be a whole number above 0, not "${value}"`);
  }
  return Number(value);
}
