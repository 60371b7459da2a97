import { type ParseArgsConfig, parseArgs } from "node:util";
import {
  type NodeStore,
  type OpenStoreOptions,
  openStore,
  resolveLocation,
} from "../open-store.js";
import { describeFailure } from "./failure.js";

/** Exit codes of the `patron` command, documented in the package README. */
export const EXIT = {
  ok: 0,
  /** The command could not do its job: a missing file, a locked or corrupt database, … */
  failure: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** `patron import` finished, but some rows were rejected. */
  rowsRejected: 3,
} as const;

/** A mistake on the command line. The CLI prints its message and exits with {@link EXIT.usage}. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A command failure already phrased for the user. The CLI prints it and exits with 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}

/** Options every command accepts. */
const COMMON_OPTIONS = {
  db: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The values parseArgs gives for a command's options plus the common ones. */
type CommandValues<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O & typeof COMMON_OPTIONS; allowPositionals: true; strict: true }>
>["values"];

/**
 * Parses a command's arguments strictly: unknown options, missing values and stray positionals
 * become a {@link UsageError} that names the command's `--help`.
 */
export function parseCommand<const O extends Options>(
  command: string,
  argv: string[],
  options: O,
  positionals = 0,
): { values: CommandValues<O>; positionals: string[] } {
  let parsed: { values: CommandValues<O>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${message} (see "patron ${command} --help")`);
  }
  const { help } = parsed.values as { help?: boolean };
  if (!help && parsed.positionals.length > positionals) {
    const extra = parsed.positionals[positionals];
    throw new UsageError(`Unexpected argument "${extra}" (see "patron ${command} --help")`);
  }
  return parsed;
}

/** A required string option, or a {@link UsageError} naming it. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === "") {
    throw new UsageError(`Missing --${name} (see "patron ${command} --help")`);
  }
  return value;
}

/**
 * Opens the database a command works on (`--db`, else `PATRON_DATABASE_URL`, else the default
 * file), turning a failure into a one-line {@link CommandError}.
 */
export async function openCommandStore(
  db: string | undefined,
  options: OpenStoreOptions = {},
): Promise<{ store: NodeStore; location: string }> {
  const location = resolveLocation(db);
  try {
    return { store: await openStore(location, options), location };
  } catch (error) {
    throw new CommandError(describeFailure(error, { database: displayLocation(location) }));
  }
}

/** A location fit to print: a database URL loses its password. */
export function displayLocation(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}

/** Writes one line to stdout, as JSON when `json` is set. */
export function printResult(json: boolean, text: string, value: unknown): void {
  process.stdout.write(`${json ? JSON.stringify(value) : text}\n`);
}
