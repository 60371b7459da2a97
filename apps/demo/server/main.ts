/**
 * The demo's entry point: `node dist/server.js [--port] [--host] [--db] [--json]`. Opens the
 * database, makes sure the demo store exists, issues it a token that stays in this process, and
 * serves the pages, the backend-for-frontend and Patron's API on one origin until a signal
 * stops it.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLogger, openStore } from "@patron/node";
import { startDemoServer } from "./demo-server.js";
import { demoBanner, demoSummary, prepareDemoStore } from "./demo-store.js";

const HELP = `Usage: pnpm start [-- options]     (or: node dist/server.js [options])

Serves the Patron demo: a storefront sign-up form at /, a customer admin at /admin, and
Patron's API at /v2.2. Logs one JSON line per API request on stdout. Ctrl+C stops it.

Options:
  --port PORT   Port to listen on (default 8787; 0 picks a free one)
  --host HOST   Address to bind (default 127.0.0.1, this machine only)
  --db FILE     SQLite file or postgres:// URL (default $PATRON_DATABASE_URL, else
                .patron/demo.db in the current folder)
  --json        Print the startup message as one JSON line on stderr
  -h, --help    Show this help
`;

/** The pages `vite build` wrote next to this file. */
const WEB_ROOT = fileURLToPath(new URL("./web/", import.meta.url));

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      db: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return void process.stdout.write(HELP);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) {
    throw new Error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  }

  const location = values.db ?? process.env.PATRON_DATABASE_URL ?? resolve(".patron/demo.db");
  const store = await openStore(location);
  try {
    const demo = await prepareDemoStore(store);
    const server = await startDemoServer({
      store,
      storeId: demo.storeId,
      storeToken: demo.token,
      webRoot: WEB_ROOT,
      logger: createLogger(),
      port,
      host: values.host,
    });
    const summary = demoSummary(server.url, location, demo);
    process.stderr.write(values.json ? `${JSON.stringify(summary)}\n` : demoBanner(summary));
  } catch (error) {
    await store.close();
    throw error;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`patron demo: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
