#!/usr/bin/env node
/**
 * The `patron` command. Dispatches to one module per command and makes sure every failure ends
 * as one line on stderr and a non-zero exit status, never a stack trace.
 */
import { CommandError, EXIT, UsageError } from "./commands/args.js";
import { exportCommand } from "./commands/export.js";
import { describeFailure } from "./commands/failure.js";
import { importCommand } from "./commands/import.js";
import { serveCommand } from "./commands/serve.js";
import { storesCommand } from "./commands/stores.js";
import { tokensCommand } from "./commands/tokens.js";

const HELP = `Usage: patron <command> [options]

Patron: the Redo v2.2 customer upsert API, self-hosted.

Commands:
  serve                      Serve the API (add --demo for a ready-to-try store and token)
  stores create [--name N]   Create a store and print its id
  stores list                List the stores
  tokens create --store ID   Issue an API token for a store (shown once)
  import FILE --store ID     Upsert customers from an NDJSON or CSV file
  export --store ID          Write a store's customers as NDJSON

Every command takes --db FILE (default $PATRON_DATABASE_URL, else .patron/patron.db),
--json for machine-readable output and --help.

Quick start:
  patron serve --demo
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve: serveCommand,
  stores: storesCommand,
  tokens: tokensCommand,
  import: importCommand,
  export: exportCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`Unknown command "${command}" (see "patron --help")`);
  return run(rest);
}

/** Prints a failure as one line and picks the exit status. */
function fail(error: unknown): never {
  const message =
    error instanceof UsageError || error instanceof CommandError
      ? error.message
      : describeFailure(error);
  process.stderr.write(`patron: ${message}\n`);
  process.exit(error instanceof UsageError ? EXIT.usage : EXIT.failure);
}

// A reader that goes away (`patron export | head`) is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(EXIT.ok);
  fail(error);
});
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, fail);
