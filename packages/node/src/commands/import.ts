import { open } from "node:fs/promises";
import { extname } from "node:path";
import { type Readable, Transform } from "node:stream";
import { isId } from "@patron/core";
import cliProgress from "cli-progress";
import {
  ImportStoppedError,
  type ImportSummary,
  importCustomers,
  type RejectedRow,
} from "../import/import-customers.js";
import { type ImportFormat, readRows } from "../import/read-rows.js";
import {
  CommandError,
  EXIT,
  openCommandStore,
  parseCommand,
  required,
  UsageError,
} from "./args.js";
import { describeFailure } from "./failure.js";

const HELP = `Usage: patron import FILE --store ID [options]

Create or update customers from a file, one upsert per row through the same rules as the API.
Rows the API refuses are reported with their line number and skipped; the rest still land.

FILE is NDJSON (one request body, or one exported profile, per line) or CSV with a header
row. Use - to read NDJSON from stdin. CSV columns: email, firstName, lastName, phoneNumber,
location.FIELD (location.city, location.latitude, ...) and customFields.NAME. An empty cell
leaves the field as it is. Custom field cells that read true/false become booleans, plain
decimal numbers become numbers, anything else a string; add :string, :number or :boolean to
a column name (customFields.zip:string) to force a type.

Options:
  --store ID          The store to import into
  --format FORMAT     ndjson or csv (default: from the file extension; stdin is ndjson)
  --batch-size N      Rows per transaction (default 500)
  --db FILE           The database (default $PATRON_DATABASE_URL, else .patron/patron.db)
  --json              Print the summary, rejected rows included, as JSON
  -h, --help          Show this help

Exit status: 0 when every row landed, 3 when some rows were rejected, 1 or 2 on errors.
`;

/** `patron import FILE --store ID`. */
export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    "import",
    argv,
    {
      store: { type: "string" },
      format: { type: "string" },
      "batch-size": { type: "string", default: "500" },
    },
    1,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (file === undefined) throw new UsageError('Missing FILE (see "patron import --help")');
  const storeId = required("import", "store", values.store);
  if (!isId(storeId)) throw new UsageError(`"${storeId}" is not a store id (24 hex characters)`);
  const format = chooseFormat(file, values.format);
  const batchSize = Number(values["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new UsageError("--batch-size must be a whole number of at least 1");
  }

  const source = await openSource(file);
  const { store, location } = await openCommandStore(values.db);
  try {
    if (!(await store.getStore(storeId))) throw new CommandError(`No store has the id ${storeId}`);
    const progress = startProgress(source.size);
    let summary: ImportSummary;
    try {
      summary = await importCustomers({
        store,
        storeId,
        batchSize,
        rows: readRows(source.stream.pipe(countBytes(progress.update)), format),
      });
    } catch (error) {
      progress.stop();
      if (error instanceof ImportStoppedError) {
        report(values.json, error.summary);
        const reason = describeFailure(error.cause, { database: location, file });
        throw new CommandError(`${error.message}: ${reason}. Rows before it were kept.`);
      }
      throw new CommandError(describeFailure(error, { database: location, file }));
    }
    progress.stop();
    report(values.json, summary);
    return summary.rejected.length > 0 ? EXIT.rowsRejected : EXIT.ok;
  } finally {
    source.stream.destroy();
    await store.close();
  }
}

function chooseFormat(file: string, requested: string | undefined): ImportFormat {
  if (requested !== undefined) {
    if (requested === "csv" || requested === "ndjson") return requested;
    throw new UsageError(`--format must be ndjson or csv, not "${requested}"`);
  }
  if (file === "-") return "ndjson";
  const extension = extname(file).toLowerCase();
  if (extension === ".csv") return "csv";
  if ([".ndjson", ".jsonl", ".json"].includes(extension)) return "ndjson";
  throw new UsageError(`Cannot tell the format of ${file}; pass --format ndjson or --format csv`);
}

/** Opens the file up front, so a missing or unreadable one fails before the database opens. */
async function openSource(file: string): Promise<{ stream: Readable; size: number | undefined }> {
  if (file === "-") return { stream: process.stdin, size: undefined };
  try {
    const handle = await open(file, "r");
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      throw new CommandError(`Cannot read ${file}: it is not a regular file`);
    }
    return { stream: handle.createReadStream(), size: stats.size };
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError(describeFailure(error, { file }));
  }
}

/** A progress bar on stderr, only when stderr is a terminal and the file size is known. */
function startProgress(size: number | undefined) {
  if (!process.stderr.isTTY || size === undefined) {
    return { update: (_bytes: number) => {}, stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: "Importing [{bar}] {percentage}% | {eta_formatted} left" },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size, 0);
  return { update: (bytes: number) => bar.update(bytes), stop: () => bar.stop() };
}

/** Passes bytes through unchanged, reporting the running total. */
function countBytes(onTotal: (bytes: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      onTotal(total);
      done(null, chunk);
    },
  });
}

function report(json: boolean, summary: ImportSummary): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  for (const row of summary.rejected) process.stderr.write(`${describeRejection(row)}\n`);
  const rejected = summary.rejected.length;
  process.stdout.write(
    `Imported ${summary.imported} of ${summary.rows} rows ` +
      `(${summary.created} created, ${summary.updated} updated)` +
      (rejected > 0 ? `; ${rejected} rejected` : "") +
      "\n",
  );
}

/** `line 4: 1 problem in the request body: email: Must be a valid email address` */
export function describeRejection(row: RejectedRow): string {
  const details = (row.errors ?? []).map((issue) => `${issue.path}: ${issue.message}`);
  return `line ${row.line}: ${[row.message, ...details].join("; ")}`;
}
