import { PatronError } from "@patron/core";

/** What a failure message may name: the database and the file a command was working on. */
export interface FailureContext {
  database?: string;
  file?: string;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EMFILE: "too many open files",
  ENOSPC: "the disk is full",
  EROFS: "the file system is read-only",
};

/**
 * Turns any error into one line for a person at a terminal: what failed and, where it helps,
 * what to do. Never a stack trace; unknown errors give their message's first line.
 */
export function describeFailure(error: unknown, context: FailureContext = {}): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  const database = context.database ?? "the database";

  if (error instanceof PatronError) return message;
  if (typeof code === "string" && code.startsWith("SQLITE_")) {
    return describeSqliteFailure(code, message, database);
  }
  if (typeof code === "string" && code in FILE_ERRORS) {
    const path = (error as { path?: string }).path ?? context.file ?? "a file";
    return `Cannot use ${path}: ${FILE_ERRORS[code]}`;
  }
  if (code === "EADDRINUSE") {
    return "The port is already in use; stop the other server or pass another --port";
  }
  if (code === "EADDRNOTAVAIL") return "That --host is not an address of this machine";
  return message || "Unknown error";
}

function describeSqliteFailure(code: string, message: string, database: string): string {
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return `The database ${database} is locked by another process; try again when it is done`;
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return `${database} is not a Patron database or is corrupt (${message})`;
  }
  if (code.startsWith("SQLITE_CANTOPEN")) return `Cannot open the database ${database}`;
  if (code.startsWith("SQLITE_READONLY")) return `The database ${database} is read-only`;
  if (code === "SQLITE_FULL") return `The disk holding ${database} is full`;
  return `Database error on ${database}: ${message}`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
