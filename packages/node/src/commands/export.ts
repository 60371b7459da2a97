import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { isId, listCustomerProfiles } from "@patron/core";
import {
  CommandError,
  EXIT,
  openCommandStore,
  parseCommand,
  printResult,
  required,
  UsageError,
} from "./args.js";
import { describeFailure } from "./failure.js";

const HELP = `Usage: patron export --store ID [options]

Write every customer of a store as NDJSON, one profile per line (the same JSON that
GET /v2.2/stores/{storeId}/customers returns), oldest first. "patron import" reads the file
back: ids and timestamps are assigned anew, everything else is restored.

Options:
  --store ID     The store to export
  --out FILE     Write to FILE instead of stdout (replaced if it exists)
  --db FILE      The database (default $PATRON_DATABASE_URL, else .patron/patron.db)
  --json         With --out, print {"exported", "out"} as JSON
  -h, --help     Show this help
`;

const PAGE_SIZE = 500;

/** `patron export --store ID [--out FILE]`. */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand("export", argv, {
    store: { type: "string" },
    out: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const storeId = required("export", "store", values.store);
  if (!isId(storeId)) throw new UsageError(`"${storeId}" is not a store id (24 hex characters)`);

  const { store, location } = await openCommandStore(values.db);
  try {
    if (!(await store.getStore(storeId))) throw new CommandError(`No store has the id ${storeId}`);
    const output: Writable = values.out ? createWriteStream(values.out) : process.stdout;
    let exported = 0;
    try {
      if (values.out) await once(output, "open");
      let cursor: string | undefined;
      do {
        const page = await listCustomerProfiles(store, storeId, { limit: PAGE_SIZE, cursor });
        for (const profile of page.data) {
          // Respect backpressure so a large store never piles up in memory.
          if (!output.write(`${JSON.stringify(profile)}\n`)) await once(output, "drain");
          exported++;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      if (values.out) {
        output.end();
        await once(output, "finish");
      }
    } catch (error) {
      throw new CommandError(describeFailure(error, { database: location, file: values.out }));
    }
    if (values.out) {
      printResult(values.json, `Exported ${exported} customers to ${values.out}`, {
        exported,
        out: values.out,
      });
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
