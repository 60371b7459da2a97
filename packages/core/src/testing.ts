/**
 * The store contract suite. Every `CustomerStore` backend runs it unchanged; a new backend is done
 * when it passes.
 */
export { assert, assertEqual, assertRejects, ContractFailure } from "./testing/assert.js";
export {
  type ContractCase,
  contractCases,
  type OpenStore,
  type RegisterTest,
  runStoreContract,
  SEED_REQUEST,
} from "./testing/contract.js";
