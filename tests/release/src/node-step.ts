/**
 * `@patron/node` as a user gets it: the `patron` command from `node_modules/.bin`.
 */
import { join } from "node:path";
import { cleanEnv, run, type Server, startServer } from "./processes.js";

export interface PatronCli {
  /** Runs `patron ARGS --db FILE --json` and parses what it prints. */
  json<T>(args: string[]): Promise<T>;
  /** Starts `patron serve` on a free port of 127.0.0.1; `info` is its base URL. */
  serve(): Promise<Server<string>>;
}

/** The CLI installed in `folder`, working on the SQLite file `database`. */
export function patronCli(folder: string, database: string): PatronCli {
  const bin = join(folder, "node_modules", ".bin", "patron");
  const options = { cwd: folder, env: cleanEnv(), timeoutMs: 60_000 };
  return {
    json: async <T>(args: string[]) =>
      JSON.parse(await run(bin, [...args, "--db", database, "--json"], options)) as T,
    serve: () =>
      startServer(
        bin,
        ["serve", "--host", "127.0.0.1", "--port", "0", "--db", database, "--json"],
        {
          ...options,
          // With --json the startup message is one JSON line on stderr: {"url", "database"}.
          ready: (line) => {
            if (!line.startsWith("{")) return undefined;
            const message = JSON.parse(line) as { url?: unknown; database?: unknown };
            return typeof message.url === "string" && "database" in message
              ? message.url
              : undefined;
          },
        },
      ),
  };
}
