import type { CustomerRecord } from "./customer.js";
import { copyFields } from "./customer.js";
import type { FieldIssue } from "./errors.js";
import { newId } from "./ids.js";
import { LIMITS } from "./limits.js";
import type { CustomFieldValue, FieldDeclaration, FieldType, Location } from "./schemas/profile.js";
import type { LocationInput, UpsertRequest } from "./schemas/request.js";

/** An ISO 8601 date-time with a time and a `Z` or numeric offset. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** What the planner knows of a store's declarations when it runs. */
export interface DeclarationView {
  /** At least the declarations for every custom field key in the request. */
  declared: ReadonlyMap<string, FieldDeclaration>;
  /** How many declarations the store has in total. */
  count: number;
}

/** The outcome of planning one upsert. */
export type UpsertPlan =
  | {
      kind: "write";
      created: boolean;
      customer: CustomerRecord;
      newDeclarations: FieldDeclaration[];
    }
  | { kind: "unchanged"; customer: CustomerRecord }
  | { kind: "conflict"; reason: "field_type_conflict" | "declaration_limit"; errors: FieldIssue[] };

/** Infers the declared type for a custom field's first value. */
export function inferFieldType(value: CustomFieldValue): FieldType {
  if (typeof value === "boolean") return "BOOLEAN";
  if (typeof value === "number") return "NUMBER";
  return isDateTime(value) ? "DATE" : "STRING";
}

/** Whether a string is an ISO 8601 date-time (with a time and a zone) that names a real instant. */
export function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** Whether a value may be stored in a field declared with `declaredType`. */
function fitsDeclaration(declaredType: FieldType, value: CustomFieldValue): boolean {
  if (declaredType === "STRING") return typeof value === "string";
  return inferFieldType(value) === declaredType;
}

/**
 * Computes the next state of one customer from a validated request. Pure: the same inputs give
 * the same plan, so a store may run it again when it has to retry its transaction.
 */
export function planUpsert(
  current: CustomerRecord | null,
  request: UpsertRequest,
  declarations: DeclarationView,
  now: Date,
): UpsertPlan {
  const timestamp = now.toISOString();
  const fields = planCustomFields(current, request, declarations, timestamp);
  if (fields.kind === "conflict") return fields;

  const next: CustomerRecord = {
    id: current?.id ?? newId(now),
    email: request.email,
    phoneNumbers: current ? [...current.phoneNumbers] : [],
    customFields: fields.values,
    createdAt: current?.createdAt ?? timestamp,
    updatedAt: current?.updatedAt ?? timestamp,
  };
  applyName(next, "firstName", current?.firstName, request.firstName);
  applyName(next, "lastName", current?.lastName, request.lastName);
  if (request.phoneNumber && !next.phoneNumbers.includes(request.phoneNumber)) {
    next.phoneNumbers.push(request.phoneNumber);
  }
  const location = mergeLocation(current?.location, request.location);
  if (location) next.location = location;

  if (current && fields.newDeclarations.length === 0 && sameCustomer(current, next)) {
    return { kind: "unchanged", customer: current };
  }
  next.updatedAt = timestamp;
  return {
    kind: "write",
    created: current === null,
    customer: next,
    newDeclarations: fields.newDeclarations,
  };
}

type FieldsPlan =
  | { kind: "ok"; values: Record<string, CustomFieldValue>; newDeclarations: FieldDeclaration[] }
  | Extract<UpsertPlan, { kind: "conflict" }>;

function planCustomFields(
  current: CustomerRecord | null,
  request: UpsertRequest,
  declarations: DeclarationView,
  timestamp: string,
): FieldsPlan {
  const values = copyFields(current?.customFields ?? {});
  const newDeclarations: FieldDeclaration[] = [];
  const conflicts: FieldIssue[] = [];

  for (const [name, value] of Object.entries(request.customFields ?? {})) {
    if (value === null) {
      delete values[name];
      continue;
    }
    const declaredType = declarations.declared.get(name)?.type;
    if (declaredType === undefined) {
      newDeclarations.push({ name, type: inferFieldType(value), createdAt: timestamp });
    } else if (!fitsDeclaration(declaredType, value)) {
      conflicts.push({
        path: `customFields.${name}`,
        code: "type_conflict",
        message: `Declared as ${declaredType}, received ${inferFieldType(value)}`,
        declaredType,
        receivedType: inferFieldType(value),
      });
      continue;
    }
    values[name] = value;
  }

  if (conflicts.length > 0) {
    return { kind: "conflict", reason: "field_type_conflict", errors: conflicts };
  }
  if (declarations.count + newDeclarations.length > LIMITS.declarationsPerStore) {
    return {
      kind: "conflict",
      reason: "declaration_limit",
      errors: newDeclarations.map((declaration) => ({
        path: `customFields.${declaration.name}`,
        code: "declaration_limit",
        message: `A store may declare at most ${LIMITS.declarationsPerStore} custom fields`,
      })),
    };
  }
  return { kind: "ok", values, newDeclarations };
}

function applyName(
  next: CustomerRecord,
  key: "firstName" | "lastName",
  stored: string | undefined,
  requested: string | null | undefined,
): void {
  // Absent keeps the stored value; null and "" clear it.
  const value = requested === undefined ? stored : requested || undefined;
  if (value !== undefined) next[key] = value;
}

function mergeLocation(
  stored: Location | undefined,
  requested: LocationInput | null | undefined,
): Location | undefined {
  if (requested === null) return undefined;
  const merged: Record<string, string | number> = { ...stored };
  for (const [key, value] of Object.entries(requested ?? {})) {
    if (value === undefined) continue;
    if (value === null || value === "") delete merged[key];
    else merged[key] = value;
  }
  return Object.keys(merged).length > 0 ? (merged as Location) : undefined;
}

function sameCustomer(a: CustomerRecord, b: CustomerRecord): boolean {
  return (
    a.email === b.email &&
    a.firstName === b.firstName &&
    a.lastName === b.lastName &&
    sameJson(a.phoneNumbers, b.phoneNumbers) &&
    sameJson(a.location ?? {}, b.location ?? {}) &&
    sameJson(a.customFields, b.customFields)
  );
}

/** Order-sensitive structural equality, enough for values that came from JSON. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
