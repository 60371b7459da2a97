import type { PatronError } from "../errors.js";
import { createStore, issueToken, listCustomerProfiles, upsertCustomer } from "../service.js";
import { hashToken } from "../tokens.js";
import { assert, assertEqual } from "./assert.js";
import { type ContractCase, profile } from "./case.js";

/** Cases for the store as a whole: idle writes, races, paging, tenants and tokens. */
export const storeCases: ContractCase[] = [
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
