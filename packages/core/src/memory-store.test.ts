import { it } from "vitest";
import { MemoryStore } from "./memory-store.js";
import { runStoreContract } from "./testing.js";

runStoreContract(it, async () => new MemoryStore());
