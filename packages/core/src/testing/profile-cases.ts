import { upsertCustomer } from "../service.js";
import { assert, assertEqual } from "./assert.js";
import { type ContractCase, profile } from "./case.js";
import { SEED_REQUEST } from "./seed.js";

/** Cases for the profile fields: email key, names, phone list and location merge. */
export const profileCases: ContractCase[] = [
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
];
