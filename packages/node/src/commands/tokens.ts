import { isId, issueToken } from "@patron/core";
import { openCommandStore, parseCommand, printResult, required, UsageError } from "./args.js";

const HELP = `Usage: patron tokens create --store ID [options]

Issue an API token for a store. The token is printed once; the database keeps only its
SHA-256 hash, so store it somewhere safe now. Older tokens stay valid.

Options:
  --store ID    The store the token opens (see "patron stores list")
  --db FILE     The database (default $PATRON_DATABASE_URL, else .patron/patron.db)
  --json        Print {"storeId", "token"} as JSON
  -h, --help    Show this help
`;

/** `patron tokens create --store ID`. */
export async function tokensCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand("tokens", argv, { store: { type: "string" } }, 1);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals[0] !== "create") {
    throw new UsageError(
      positionals[0] === undefined
        ? 'Missing a command: "patron tokens create --store ID"'
        : `Unknown command "tokens ${positionals[0]}" (see "patron tokens --help")`,
    );
  }
  const storeId = required("tokens", "store", values.store);
  if (!isId(storeId)) throw new UsageError(`"${storeId}" is not a store id (24 hex characters)`);

  const { store } = await openCommandStore(values.db);
  try {
    const token = await issueToken(store, storeId);
    printResult(values.json, token, { storeId, token });
    return 0;
  } finally {
    await store.close();
  }
}
