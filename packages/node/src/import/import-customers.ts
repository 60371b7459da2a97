import { type FieldIssue, PatronError, upsertCustomer } from "@patron/core";
import type { NodeStore } from "../open-store.js";
import type { SourceRow } from "./read-rows.js";

/** A row that did not land, and why. */
export interface RejectedRow {
  line: number;
  code: string;
  message: string;
  errors?: FieldIssue[];
}

/** What an import did. Only rows in committed batches count as imported. */
export interface ImportSummary {
  /** Rows read, good and bad. */
  rows: number;
  imported: number;
  created: number;
  updated: number;
  rejected: RejectedRow[];
}

/** Options for {@link importCustomers}. */
export interface ImportOptions {
  store: NodeStore;
  storeId: string;
  rows: AsyncIterable<SourceRow>;
  /** Rows per transaction when the store supports batches; 500 by default. */
  batchSize?: number;
  /** Called after each committed batch with the summary so far. */
  onBatch?: (summary: ImportSummary) => void;
}

/**
 * An import that hit an error no row can cause (the disk is full, the database is locked). The
 * batch in progress was rolled back; `summary` counts what was committed before it.
 */
export class ImportStoppedError extends Error {
  constructor(
    readonly line: number,
    readonly summary: ImportSummary,
    cause: unknown,
  ) {
    super(`The import stopped at line ${line}`, { cause });
    this.name = "ImportStoppedError";
  }
}

const DEFAULT_BATCH_SIZE = 500;

type ImportableRow = Extract<SourceRow, { bodies: unknown[] }>;

/**
 * Upserts every row through core's `upsertCustomer`, the same path an HTTP request takes. Rows go
 * to the store in batches of one transaction each (when the store can batch). A row the API
 * refuses is recorded in `rejected` and the import carries on; each row runs in its own
 * savepoint, so a refused row leaves nothing behind, even one that takes several upserts.
 */
export async function importCustomers(options: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { rows: 0, imported: 0, created: 0, updated: 0, rejected: [] };
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let pending: ImportableRow[] = [];

  const flush = async () => {
    const rows = pending;
    pending = [];
    const counts = { imported: 0, created: 0, updated: 0 };
    try {
      await withBatch(options.store, async () => {
        for (const row of rows) await importRow(options, row, counts, summary.rejected);
      });
    } catch (error) {
      throw new ImportStoppedError(rows[0]?.line ?? 0, summary, error);
    }
    summary.imported += counts.imported;
    summary.created += counts.created;
    summary.updated += counts.updated;
    options.onBatch?.(summary);
  };

  for await (const row of options.rows) {
    summary.rows++;
    if ("rejected" in row) summary.rejected.push({ line: row.line, ...row.rejected });
    else pending.push(row);
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  summary.rejected.sort((a, b) => a.line - b.line);
  return summary;
}

async function importRow(
  options: ImportOptions,
  row: ImportableRow,
  counts: { imported: number; created: number; updated: number },
  rejected: RejectedRow[],
): Promise<void> {
  try {
    const results = await withBatch(options.store, async () => {
      const landed = [];
      for (const body of row.bodies) {
        landed.push(await upsertCustomer(options.store, options.storeId, body));
      }
      return landed;
    });
    counts.imported++;
    if (results[0]?.created) counts.created++;
    else counts.updated++;
  } catch (error) {
    // Only the API's own refusals reject a row; anything else (disk, locks) stops the import.
    if (!(error instanceof PatronError) || error.status >= 500) throw error;
    const entry: RejectedRow = { line: row.line, code: error.code, message: error.message };
    if (error.errors) entry.errors = error.errors;
    rejected.push(entry);
  }
}

/** Runs `work` in the store's batch (one transaction or savepoint) when it has one. */
function withBatch<T>(store: NodeStore, work: () => Promise<T>): Promise<T> {
  return store.batch ? store.batch(work) : work();
}
