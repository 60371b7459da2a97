import { createInterface } from "node:readline";
import { type Readable, Transform } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { parse } from "csv-parse";
import { readHeader, rowToBody } from "./csv-columns.js";

/** The file formats `patron import` reads. */
export type ImportFormat = "ndjson" | "csv";

/**
 * One row of an import file. A row becomes one or more upsert bodies (a profile line with
 * several phone numbers takes one upsert per number), or is rejected before reaching the API.
 */
export type SourceRow =
  | { line: number; bodies: unknown[] }
  | { line: number; rejected: { code: string; message: string } };

/** Reads rows from an NDJSON or CSV stream, numbering them by the line they start on. */
export function readRows(input: Readable, format: ImportFormat): AsyncIterable<SourceRow> {
  return format === "csv" ? readCsvRows(input) : readNdjsonRows(input);
}

/** One JSON value per line; blank lines are skipped but still counted. */
async function* readNdjsonRows(input: Readable): AsyncIterable<SourceRow> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, "") : text).trim();
    if (trimmed === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      yield { line, rejected: { code: "invalid_json", message: `Not valid JSON: ${reason}` } };
      continue;
    }
    yield { line, bodies: bodiesFor(value) };
  }
}

/**
 * The upsert bodies for one NDJSON value. A line as `patron export` writes it (a profile, with
 * `id` and `createdAt`) loses its read-only fields and replays its phone numbers in order, so
 * the imported customer gets the same list; anything else is sent as it is.
 */
export function bodiesFor(value: unknown): unknown[] {
  if (!isProfile(value)) return [value];
  const {
    id: _id,
    displayName: _displayName,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    phoneNumber,
    phoneNumbers,
    ...body
  } = value;
  const phones: unknown[] = Array.isArray(phoneNumbers)
    ? phoneNumbers
    : phoneNumber
      ? [phoneNumber]
      : [];
  if (phones.length === 0) return [body];
  return [
    { ...body, phoneNumber: phones[0] },
    ...phones.slice(1).map((phone) => ({ email: body.email, phoneNumber: phone })),
  ];
}

function isProfile(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    "id" in value &&
    "createdAt" in value
  );
}

/** A header row, then one customer per record, typed by the rules in csv-columns.ts. */
async function* readCsvRows(input: Readable): AsyncIterable<SourceRow> {
  const skipped: SourceRow[] = [];
  const parser = input.pipe(normalizeLineEnds()).pipe(
    parse({
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      on_skip(error, raw) {
        const end = Number(error?.lines ?? 0);
        const start = startLine(end, raw ?? "");
        const message =
          error?.code === "CSV_QUOTE_NOT_CLOSED"
            ? `A quoted cell is never closed, so lines ${start} to ${end} could not be read`
            : `Unreadable CSV: ${error?.message ?? "unknown problem"}`;
        skipped.push({ line: start, rejected: { code: "invalid_csv", message } });
        return undefined;
      },
    }),
  );

  let columns: ReturnType<typeof readHeader> | undefined;
  for await (const { record, info, raw } of parser as AsyncIterable<CsvRecord>) {
    yield* skipped.splice(0);
    const line = startLine(info.lines, raw);
    if (!columns) {
      try {
        columns = readHeader(record);
      } catch (error) {
        throw new Error(`Line ${line}: ${(error as Error).message}`);
      }
      continue;
    }
    const row = rowToBody(columns, record);
    if ("body" in row) yield { line, bodies: [row.body] };
    else yield { line, rejected: { code: "invalid_row", message: row.problems.join("; ") } };
  }
  yield* skipped.splice(0);
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

/**
 * The line a record starts on. csv-parse reports the line it ends on, and its raw text carries
 * the blank lines skipped before it, so: end line minus the line breaks inside the record.
 */
function startLine(endLine: number, raw: string): number {
  const record = raw.replace(/^\n+/, "").replace(/\n$/, "");
  return endLine - (record.match(/\n/g)?.length ?? 0);
}

/**
 * Turns CRLF into LF before parsing: csv-parse miscounts lines in CRLF files that hold blank
 * lines, and the line numbers in rejection reports must be right.
 */
function normalizeLineEnds(): Transform {
  const decoder = new StringDecoder("utf8");
  let pendingCr = false;
  const convert = (text: string): string => {
    let joined = (pendingCr ? "\r" : "") + text;
    pendingCr = joined.endsWith("\r");
    if (pendingCr) joined = joined.slice(0, -1);
    return joined.replace(/\r\n/g, "\n");
  };
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      done(null, convert(decoder.write(chunk)) || undefined);
    },
    flush(done) {
      const rest = convert(decoder.end()) + (pendingCr ? "\r" : "");
      done(null, rest || undefined);
    },
  });
}
