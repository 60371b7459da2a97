import type { CustomerProfile, CustomFieldValue, Location } from "./schemas/profile.js";

/**
 * A customer as stores keep it. `customFields` has no prototype, so keys such as `__proto__`
 * are plain data; stores serialize it with `JSON.stringify` and read it back with `JSON.parse`,
 * both of which treat such keys as ordinary properties.
 */
export interface CustomerRecord {
  id: string;
  /** Normalized (trimmed, lower-cased): the upsert key within a store. */
  email: string;
  firstName?: string;
  lastName?: string;
  /** In order of first appearance; the last one is the most recently added. */
  phoneNumbers: string[];
  location?: Location;
  customFields: Record<string, CustomFieldValue>;
  createdAt: string;
  updatedAt: string;
}

/** A store (tenant): customers, declarations and tokens all belong to one. */
export interface StoreRecord {
  id: string;
  name: string;
  createdAt: string;
}

/** An API token as kept at rest: only its SHA-256 hash. */
export interface TokenRecord {
  /** Lowercase hex SHA-256 of the whole token string. */
  hash: string;
  storeId: string;
  createdAt: string;
}

/** The profile a client sees: derived fields added, absent values omitted. */
export function toProfile(customer: CustomerRecord): CustomerProfile {
  // Keys are added in the order the API documentation shows them, timestamps last.
  const profile = { id: customer.id, email: customer.email } as CustomerProfile;
  if (customer.firstName !== undefined) profile.firstName = customer.firstName;
  if (customer.lastName !== undefined) profile.lastName = customer.lastName;
  const displayName = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  if (displayName) profile.displayName = displayName;
  if (customer.phoneNumbers.length > 0) {
    profile.phoneNumber = customer.phoneNumbers[customer.phoneNumbers.length - 1];
    profile.phoneNumbers = [...customer.phoneNumbers];
  }
  if (customer.location && Object.keys(customer.location).length > 0) {
    profile.location = { ...customer.location };
  }
  if (Object.keys(customer.customFields).length > 0) {
    profile.customFields = copyFields(customer.customFields);
  }
  profile.createdAt = customer.createdAt;
  profile.updatedAt = customer.updatedAt;
  return profile;
}

/** Copies custom fields into a prototype-free object, keeping `__proto__` keys as data. */
export function copyFields<T>(fields: Record<string, T>): Record<string, T> {
  const copy: Record<string, T> = Object.create(null);
  for (const [key, value] of Object.entries(fields)) copy[key] = value;
  return copy;
}

/**
 * Restores a record read back from storage: makes `customFields` prototype-free again and fills
 * in the list a backend may have left out. Backends call this on every record they return.
 */
export function reviveCustomer(raw: CustomerRecord): CustomerRecord {
  return {
    ...raw,
    phoneNumbers: raw.phoneNumbers ?? [],
    customFields: copyFields(raw.customFields ?? {}),
  };
}
