import { createStore } from "@patron/core";
import { CommandError, openCommandStore, parseCommand, printResult, UsageError } from "./args.js";

const HELP = `Usage: patron stores <create|list> [options]

Manage stores (tenants). Every customer, custom field and token belongs to one store.

Commands:
  create [--name NAME]   Create a store and print its id
  list                   Print every store: id, name, creation time

Options:
  --name NAME   The new store's name (default "My store")
  --db FILE     The database (default $PATRON_DATABASE_URL, else .patron/patron.db)
  --json        Print JSON instead of text
  -h, --help    Show this help
`;

/** `patron stores create|list`. */
export async function storesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand("stores", argv, { name: { type: "string" } }, 1);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const action = positionals[0];
  if (action !== "create" && action !== "list") {
    throw new UsageError(
      action === undefined
        ? 'Missing a command: "patron stores create" or "patron stores list"'
        : `Unknown command "stores ${action}" (see "patron stores --help")`,
    );
  }

  const { store } = await openCommandStore(values.db);
  try {
    if (action === "create") {
      const record = await createStore(store, values.name || "My store");
      printResult(values.json, record.id, record);
      return 0;
    }
    if (!store.listStores) throw new CommandError("This database cannot list its stores");
    const stores = await store.listStores();
    if (values.json) printResult(true, "", stores);
    else for (const s of stores) process.stdout.write(`${s.id}\t${s.name}\t${s.createdAt}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
