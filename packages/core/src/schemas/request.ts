import { z } from "zod";
import { LIMITS } from "../limits.js";

/** Characters a phone number may carry for readability; they are removed before the check. */
const PHONE_PUNCTUATION = /[\s\-.()]/g;
/** E.164, checked structurally only: a plus, a non-zero digit, then 6 to 14 digits. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;
/** Control characters are not allowed in custom field keys. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Trims and lower-cases, then checks the address. The result is the upsert key. */
export const emailSchema = z
  .string({
    error: (issue) => (issue.input === undefined ? "Email is required" : "Must be a string"),
  })
  .trim()
  .toLowerCase()
  .max(LIMITS.emailLength)
  .pipe(z.email({ error: "Must be a valid email address" }))
  .meta({ format: "email", example: "jane@example.com" });

/** A name that is set as given (trimmed); `null` or `""` clears it. */
const nameSchema = z.string().trim().max(LIMITS.nameLength).nullable().optional();

/** A phone number in E.164 after removing spaces, dashes, dots and parentheses. */
export const phoneSchema = z
  .string()
  .transform((raw) => raw.replace(PHONE_PUNCTUATION, ""))
  .pipe(
    z.string().refine((digits) => E164_PATTERN.test(digits), {
      error: "Must be an E.164 number such as +12345678900",
      params: { code: "invalid_e164" },
    }),
  )
  .meta({ pattern: E164_PATTERN.source, example: "+12345678900" });

const locationText = z.string().trim().max(LIMITS.locationTextLength).nullable().optional();

/** A partial location: only the fields present are updated, `null` clears a field. */
export const locationInputSchema = z.strictObject({
  street1: locationText,
  street2: locationText,
  city: locationText,
  state: locationText,
  stateCode: locationText,
  postalCode: locationText,
  country: locationText,
  countryCode: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { error: "Must be a two-letter country code" })
    .transform((code) => code.toUpperCase())
    .nullable()
    .optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
});

/** A custom field value as a request may send it; `null` removes the value. */
export type CustomFieldInput = string | number | boolean | null;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Custom fields are checked by hand rather than with `z.record`: a record schema copies keys with
 * plain assignment, which turns a `__proto__` key into a prototype write and loses it. Here every
 * own key is read with `Object.entries` and copied into a prototype-free object.
 */
export const customFieldsInputSchema = z
  .custom<Record<string, unknown>>(isPlainObject, { error: "Must be an object" })
  .superRefine((fields, ctx) => {
    const entries = Object.entries(fields);
    if (entries.length > LIMITS.customFieldsPerRequest) {
      ctx.addIssue({
        code: "too_big",
        origin: "object",
        maximum: LIMITS.customFieldsPerRequest,
        inclusive: true,
        input: fields,
        message: `At most ${LIMITS.customFieldsPerRequest} custom fields per request`,
      });
    }
    for (const [key, value] of entries) {
      if (key.length === 0 || key.length > LIMITS.customFieldKeyLength) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          params: { code: "invalid_key" },
          message: `Keys must be 1 to ${LIMITS.customFieldKeyLength} characters`,
        });
      } else if (CONTROL_CHARACTER.test(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          params: { code: "invalid_key" },
          message: "Keys must not contain control characters",
        });
      }
      const issue = checkCustomValue(value);
      if (issue)
        ctx.addIssue({
          code: "custom",
          path: [key],
          params: { code: issue[0] },
          message: issue[1],
        });
    }
  })
  .transform((fields) => {
    const copy: Record<string, CustomFieldInput> = Object.create(null);
    for (const [key, value] of Object.entries(fields)) copy[key] = value as CustomFieldInput;
    return copy;
  })
  .meta({
    type: "object",
    maxProperties: LIMITS.customFieldsPerRequest,
    propertyNames: { minLength: 1, maxLength: LIMITS.customFieldKeyLength },
    additionalProperties: {
      anyOf: [
        { type: "string", maxLength: LIMITS.customFieldStringLength },
        { type: "number" },
        { type: "boolean" },
        { type: "null" },
      ],
    },
    example: { subscription_source: "web", loyalty_points: 1250, vip_member: true },
  });

function checkCustomValue(value: unknown): [code: string, message: string] | undefined {
  if (value === null || typeof value === "boolean") return undefined;
  if (typeof value === "number") {
    return Number.isFinite(value) ? undefined : ["invalid_value", "Numbers must be finite"];
  }
  if (typeof value === "string") {
    return value.length > LIMITS.customFieldStringLength
      ? ["too_big", `Strings must be at most ${LIMITS.customFieldStringLength} characters`]
      : undefined;
  }
  return ["invalid_type", "Values must be a string, number, boolean or null"];
}

/** The body of `PUT /v2.2/stores/{storeId}/customers`. Unknown keys are rejected. */
export const upsertRequestSchema = z.strictObject({
  email: emailSchema,
  firstName: nameSchema,
  lastName: nameSchema,
  phoneNumber: phoneSchema.nullable().optional(),
  location: locationInputSchema.nullable().optional(),
  customFields: customFieldsInputSchema.optional(),
});

/** A request body after validation and normalization. */
export type UpsertRequest = z.output<typeof upsertRequestSchema>;
/** A request body as a client sends it. */
export type UpsertRequestInput = z.input<typeof upsertRequestSchema>;
/** The location part of a request. */
export type LocationInput = z.output<typeof locationInputSchema>;
