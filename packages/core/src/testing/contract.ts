import type { PatronError } from "../errors.js";
import {
  createStore,
  getCustomerProfile,
  issueToken,
  listCustomerProfiles,
  upsertCustomer,
} from "../service.js";
import type { CustomerStore } from "../store.js";
import { hashToken } from "../tokens.js";
import { assert, assertEqual, assertRejects } from "./assert.js";

/** Opens a fresh, empty backend for one test case. The suite closes it when the case ends. */
export type OpenStore = () => Promise<CustomerStore>;

/** Registers one named test: vitest's `it` and Deno's `test` function both fit. */
export type RegisterTest = (name: string, fn: () => Promise<void>) => unknown;

/** One behaviour every backend must show. */
export interface ContractCase {
  name: string;
  run(store: CustomerStore, storeId: string): Promise<void>;
}

/** The seed request from the Redo documentation. */
export const SEED_REQUEST = {
  email: "jane@example.com",
  firstName: "Jane",
  lastName: "Smith",
  phoneNumber: "+11234567890",
  location: {
    street1: "123 Main St",
    street2: "Suite 12",
    city: "Seattle",
    state: "Washington",
    stateCode: "WA",
    postalCode: "98101",
    country: "United States",
    countryCode: "US",
    latitude: 47.6062,
    longitude: -122.3321,
  },
  customFields: {
    pricing_plan: "com.example.yearly",
    status: "Active",
    subscription_source: "web",
    loyalty_points: 1250,
    vip_member: true,
  },
} as const;

const profile = (store: CustomerStore, storeId: string, email: string) =>
  getCustomerProfile(store, storeId, email);

/** Every case of the store contract, in a stable order. */
export const contractCases: ContractCase[] = [
  {
    name: "creates a customer on the first upsert and updates it after",
    async run(store, storeId) {
      const first = await upsertCustomer(store, storeId, SEED_REQUEST);
      assertEqual(first.created, true, "first upsert creates");
      assertEqual(first.email, "jane@example.com", "email is returned");
      assert(/^[0-9a-f]{24}$/.test(first.id), "id is 24 lowercase hex characters");
      const second = await upsertCustomer(store, storeId, SEED_REQUEST);
      assertEqual(second, { ...first, created: false }, "second upsert updates the same customer");
      const stored = await profile(store, storeId, "jane@example.com");
      assertEqual(stored.displayName, "Jane Smith", "display name is derived");
      assertEqual(stored.phoneNumbers, ["+11234567890"], "phone stored once");
      assertEqual(stored.location, SEED_REQUEST.location, "location stored");
      assertEqual(stored.customFields, SEED_REQUEST.customFields, "custom fields stored");
    },
  },
  {
    name: "normalizes the email into the upsert key",
    async run(store, storeId) {
      const first = await upsertCustomer(store, storeId, { email: "  Jane.Doe@Example.COM " });
      const second = await upsertCustomer(store, storeId, { email: "jane.doe@example.com" });
      assertEqual(first.email, "jane.doe@example.com", "stored email is normalized");
      assertEqual(second.id, first.id, "normalized emails match one customer");
      const found = await profile(store, storeId, "JANE.DOE@example.com ");
      assertEqual(found.id, first.id, "lookup normalizes too");
    },
  },
  {
    name: "sets names directly and clears them with null or an empty string",
    async run(store, storeId) {
      const email = "names@example.com";
      await upsertCustomer(store, storeId, { email, firstName: " Ada ", lastName: "Lovelace" });
      let found = await profile(store, storeId, email);
      assertEqual([found.firstName, found.displayName], ["Ada", "Ada Lovelace"], "names set");
      await upsertCustomer(store, storeId, { email, firstName: null });
      found = await profile(store, storeId, email);
      assertEqual([found.firstName, found.displayName], [undefined, "Lovelace"], "null clears");
      await upsertCustomer(store, storeId, { email, lastName: "" });
      found = await profile(store, storeId, email);
      assert(!("lastName" in found) && !("displayName" in found), "empty string clears");
    },
  },
  {
    name: "appends new phone numbers in order and ignores repeats and null",
    async run(store, storeId) {
      const email = "phones@example.com";
      await upsertCustomer(store, storeId, { email, phoneNumber: "+1 (234) 567-8900" });
      await upsertCustomer(store, storeId, { email, phoneNumber: "+447911123456" });
      await upsertCustomer(store, storeId, { email, phoneNumber: "+12345678900" });
      await upsertCustomer(store, storeId, { email, phoneNumber: null });
      const found = await profile(store, storeId, email);
      assertEqual(found.phoneNumbers, ["+12345678900", "+447911123456"], "order of first sight");
      assertEqual(found.phoneNumber, "+447911123456", "phoneNumber is the latest added");
    },
  },
  {
    name: "merges the location field by field",
    async run(store, storeId) {
      const email = "where@example.com";
      await upsertCustomer(store, storeId, {
        email,
        location: { city: "Seattle", countryCode: "us", latitude: 47.6 },
      });
      await upsertCustomer(store, storeId, {
        email,
        location: { city: "Tacoma", latitude: null, postalCode: "98402" },
      });
      let found = await profile(store, storeId, email);
      assertEqual(
        found.location,
        { city: "Tacoma", countryCode: "US", postalCode: "98402" },
        "fields merged, null cleared, country code upper-cased",
      );
      await upsertCustomer(store, storeId, { email, location: null });
      found = await profile(store, storeId, email);
      assert(!("location" in found), "location: null clears the whole location");
    },
  },
  {
    name: "infers custom field types and declares each field once per store",
    async run(store, storeId) {
      await upsertCustomer(store, storeId, {
        email: "types@example.com",
        customFields: {
          plan: "gold",
          points: 10,
          vip: false,
          since: "2026-02-24T12:15:00.000Z",
          local: "2026-02-24T12:15:00+05:30",
          day: "2026-02-24",
        },
      });
      const declared = await store.listDeclarations(storeId);
      const types = Object.fromEntries(declared.map((d) => [d.name, d.type]));
      assertEqual(
        types,
        {
          plan: "STRING",
          points: "NUMBER",
          vip: "BOOLEAN",
          since: "DATE",
          local: "DATE",
          day: "STRING",
        },
        "types inferred from first values",
      );
      assert(
        declared.every((d) => !Number.isNaN(Date.parse(d.createdAt))),
        "declarations carry a createdAt",
      );
    },
  },
  {
    name: "rejects a type mismatch as a whole and writes nothing",
    async run(store, storeId) {
      const email = "mismatch@example.com";
      await upsertCustomer(store, storeId, { email, customFields: { points: 1, vip: true } });
      const before = await profile(store, storeId, email);
      const error = (await assertRejects(
        upsertCustomer(store, storeId, {
          email,
          firstName: "Never",
          phoneNumber: "+15550001111",
          customFields: { points: "many", vip: 1, brand_new: "x" },
        }),
        "field_type_conflict",
        "mismatch is rejected",
      )) as PatronError;
      assertEqual(error.status, 422, "mismatch is a 422");
      assertEqual(
        error.errors?.map((e) => [e.path, e.declaredType, e.receivedType]),
        [
          ["customFields.points", "NUMBER", "STRING"],
          ["customFields.vip", "BOOLEAN", "NUMBER"],
        ],
        "every conflicting key is named with both types",
      );
      assertEqual(await profile(store, storeId, email), before, "customer untouched");
      const names = (await store.listDeclarations(storeId)).map((d) => d.name).sort();
      assertEqual(names, ["points", "vip"], "no declaration from a rejected request");
    },
  },
  {
    name: "accepts a date-time string for a STRING field",
    async run(store, storeId) {
      const email = "dates@example.com";
      await upsertCustomer(store, storeId, { email, customFields: { note: "hello" } });
      await upsertCustomer(store, storeId, {
        email,
        customFields: { note: "2026-02-24T12:15:00.000Z" },
      });
      const found = await profile(store, storeId, email);
      assertEqual(found.customFields?.note, "2026-02-24T12:15:00.000Z", "date kept as string");
      await assertRejects(
        upsertCustomer(store, storeId, {
          email: "other@example.com",
          customFields: { birthday: "2000-01-01T00:00:00Z" },
        }).then(() =>
          upsertCustomer(store, storeId, {
            email: "other@example.com",
            customFields: { birthday: "soon" },
          }),
        ),
        "field_type_conflict",
        "a DATE field refuses a plain string",
      );
    },
  },
  {
    name: "removes a value with null, keeps the declaration and untouched keys",
    async run(store, storeId) {
      const email = "nulls@example.com";
      await upsertCustomer(store, storeId, { email, customFields: { a: "x", b: 2 } });
      await upsertCustomer(store, storeId, { email, customFields: { a: null } });
      const found = await profile(store, storeId, email);
      assertEqual(found.customFields, { b: 2 }, "a removed, b kept");
      const names = (await store.listDeclarations(storeId)).map((d) => d.name).sort();
      assertEqual(names, ["a", "b"], "declaration of a stays");
    },
  },
  {
    name: "stores keys such as __proto__ as data without touching prototypes",
    async run(store, storeId) {
      const email = "proto@example.com";
      const body = JSON.parse(
        '{"email":"proto@example.com","customFields":' +
          '{"__proto__":"p","constructor":"c","prototype":3,"toString":true}}',
      );
      await upsertCustomer(store, storeId, body);
      const found = await profile(store, storeId, email);
      const fields = found.customFields ?? {};
      assertEqual(
        Object.keys(fields).sort(),
        ["__proto__", "constructor", "prototype", "toString"],
        "every key stored",
      );
      assertEqual(Object.getOwnPropertyDescriptor(fields, "__proto__")?.value, "p", "value kept");
      assert(!("p" in {}) && ({} as Record<string, unknown>).polluted === undefined, "clean");
      const names = (await store.listDeclarations(storeId)).map((d) => d.name).sort();
      assertEqual(names, ["__proto__", "constructor", "prototype", "toString"], "declared");
    },
  },
  {
    name: "writes nothing for a request that changes nothing",
    async run(store, storeId) {
      const email = "same@example.com";
      const body = { email, firstName: "Sam", phoneNumber: "+15551234567", customFields: { n: 1 } };
      await upsertCustomer(store, storeId, body, new Date("2026-01-01T00:00:00Z"));
      const later = new Date("2026-06-01T00:00:00Z");
      const again = await upsertCustomer(store, storeId, body, later);
      assertEqual(again.created, false, "existing customer");
      const found = await profile(store, storeId, email);
      assertEqual(found.updatedAt, "2026-01-01T00:00:00.000Z", "updatedAt unchanged");
      await upsertCustomer(store, storeId, { email, firstName: "Samuel" }, later);
      const changed = await profile(store, storeId, email);
      assertEqual(changed.updatedAt, later.toISOString(), "a real change moves updatedAt");
      assertEqual(changed.createdAt, "2026-01-01T00:00:00.000Z", "createdAt stays");
    },
  },
  {
    name: "creates one customer when many upserts of a new email race",
    async run(store, storeId) {
      const email = "race@example.com";
      const writers = Array.from({ length: 25 }, (_, i) =>
        upsertCustomer(store, storeId, {
          email,
          phoneNumber: `+1555000${String(i).padStart(4, "0")}`,
          customFields: { [`field_${i}`]: i },
        }),
      );
      const results = await Promise.all(writers);
      assertEqual(results.filter((r) => r.created).length, 1, "exactly one created");
      assertEqual(new Set(results.map((r) => r.id)).size, 1, "one id for everyone");
      const found = await profile(store, storeId, email);
      assertEqual(found.phoneNumbers?.length, 25, "every phone number kept");
      assertEqual(Object.keys(found.customFields ?? {}).length, 25, "every field kept");
    },
  },
  {
    name: "declares a raced new field once and rejects the other type",
    async run(store, storeId) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          upsertCustomer(store, storeId, {
            email: `racer${i}@example.com`,
            customFields: { contested: i % 2 === 0 ? "text" : 42 },
          }),
        ),
      );
      const declared = await store.listDeclarations(storeId);
      assertEqual(declared.length, 1, "one declaration");
      const winner = declared[0]!.type;
      for (const [i, result] of results.entries()) {
        const type = i % 2 === 0 ? "STRING" : "NUMBER";
        if (type === winner) assert(result.status === "fulfilled", `request ${i} should land`);
        else {
          assert(result.status === "rejected", `request ${i} should be rejected`);
          assertEqual((result.reason as PatronError).code, "field_type_conflict", "a 422");
        }
      }
    },
  },
  {
    name: "limits a store to 1,000 declarations",
    async run(store, storeId) {
      for (let batch = 0; batch < 10; batch++) {
        const fields = Object.fromEntries(
          Array.from({ length: 100 }, (_, i) => [`f${batch * 100 + i}`, i]),
        );
        await upsertCustomer(store, storeId, { email: "many@example.com", customFields: fields });
      }
      await assertRejects(
        upsertCustomer(store, storeId, {
          email: "many@example.com",
          firstName: "Nope",
          customFields: { one_more: 1 },
        }),
        "declaration_limit",
        "the 1,001st declaration is refused",
      );
      const found = await profile(store, storeId, "many@example.com");
      assert(found.firstName === undefined, "nothing written with the refused request");
      assertEqual((await store.listDeclarations(storeId)).length, 1000, "still 1,000");
      await upsertCustomer(store, storeId, { email: "many@example.com", customFields: { f1: 5 } });
    },
  },
  {
    name: "pages through customers oldest first with a cursor",
    async run(store, storeId) {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
        ids.push((await upsertCustomer(store, storeId, { email: `p${i}@example.com` }, at)).id);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listCustomerProfiles(store, storeId, { limit: 3, cursor });
        seen.push(...page.data.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      assertEqual(seen, ids, "every customer once, oldest first");
      assertEqual(pages, 3, "7 customers in pages of 3");
    },
  },
  {
    name: "keeps stores apart",
    async run(store, storeId) {
      const other = await createStore(store, "Other shop");
      const mine = await upsertCustomer(store, storeId, { email: "both@example.com" });
      const theirs = await upsertCustomer(store, other.id, {
        email: "both@example.com",
        customFields: { points: "text" },
      });
      assert(mine.id !== theirs.id && theirs.created, "same email, two customers");
      await upsertCustomer(store, storeId, {
        email: "both@example.com",
        customFields: { points: 1 },
      });
      assertEqual(
        (await store.listDeclarations(storeId)).map((d) => d.type),
        ["NUMBER"],
        "declarations are per store",
      );
      const page = await listCustomerProfiles(store, other.id, { limit: 10 });
      assertEqual(
        page.data.map((c) => c.id),
        [theirs.id],
        "lists are per store",
      );
      assertEqual(await store.getCustomer(other.id, "nobody@example.com"), null, "unknown is null");
    },
  },
  {
    name: "keeps tokens only as hashes scoped to one store",
    async run(store, storeId) {
      const token = await issueToken(store, storeId);
      assert(/^pat_[A-Za-z0-9_-]{43}$/.test(token), "token shape");
      const found = await store.findToken(await hashToken(token));
      assertEqual(found?.storeId, storeId, "hash resolves to its store");
      assertEqual(await store.findToken(await hashToken(`${token}x`)), null, "unknown hash");
      assertEqual((await store.getStore(storeId))?.id, storeId, "store is readable");
      assertEqual(await store.getStore("0123456789abcdef01234567"), null, "unknown store");
      await store.ping();
    },
  },
];

/**
 * Registers every contract case with a test runner. Each case gets a fresh store from
 * `openStore` with one tenant created in it, and the store is closed afterwards.
 *
 * Under `deno test`, pass Deno's `test` function where vitest takes `it`.
 *
 * @example
 * runStoreContract(it, async () => new MemoryStore());
 */
export function runStoreContract(test: RegisterTest, openStore: OpenStore): void {
  for (const contractCase of contractCases) {
    test(contractCase.name, async () => {
      const store = await openStore();
      try {
        const tenant = await createStore(store, "Contract test shop");
        await contractCase.run(store, tenant.id);
      } finally {
        await store.close();
      }
    });
  }
}
