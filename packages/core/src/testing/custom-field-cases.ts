import type { PatronError } from "../errors.js";
import { upsertCustomer } from "../service.js";
import { assert, assertEqual, assertRejects } from "./assert.js";
import { type ContractCase, profile } from "./case.js";

/** Cases for custom fields: type inference, declarations, conflicts, removal and limits. */
export const customFieldCases: ContractCase[] = [
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
];
