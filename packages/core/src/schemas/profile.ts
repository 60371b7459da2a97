// Response schemas use zod/mini: the client validates answers with them, and mini keeps a
// browser bundle small. Full zod schemas (requests) can embed them, and the OpenAPI generator
// reads both.
import * as z from "zod/mini";

/** The type a custom field was declared with, inferred from its first value. */
export const fieldTypeSchema = z.enum(["STRING", "NUMBER", "BOOLEAN", "DATE"]);
export type FieldType = z.infer<typeof fieldTypeSchema>;

const idSchema = z.string().check(z.regex(/^[0-9a-f]{24}$/));
const timestampSchema = z.iso.datetime();

/** A stored location; absent fields are omitted. */
export const locationSchema = z.partial(
  z.object({
    street1: z.string(),
    street2: z.string(),
    city: z.string(),
    state: z.string(),
    stateCode: z.string(),
    postalCode: z.string(),
    country: z.string(),
    countryCode: z.string(),
    latitude: z.number(),
    longitude: z.number(),
  }),
);
export type Location = z.infer<typeof locationSchema>;

/** A stored custom field value. */
export const customFieldValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type CustomFieldValue = z.infer<typeof customFieldValueSchema>;

/** A customer as `GET` returns it. */
export const profileSchema = z.object({
  id: idSchema,
  email: z.string(),
  firstName: z.optional(z.string()),
  lastName: z.optional(z.string()),
  displayName: z.optional(z.string()),
  phoneNumber: z.optional(z.string()),
  phoneNumbers: z.optional(z.array(z.string())),
  location: z.optional(locationSchema),
  customFields: z.optional(z.record(z.string(), customFieldValueSchema)),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type CustomerProfile = z.infer<typeof profileSchema>;

/** The answer to an upsert: `201` when created, `200` when updated. */
export const upsertResponseSchema = z.object({
  id: idSchema,
  email: z.string(),
  created: z.boolean(),
});
export type UpsertResponse = z.infer<typeof upsertResponseSchema>;

/** One page of customers, oldest first. */
export const customerPageSchema = z.object({
  data: z.array(profileSchema),
  nextCursor: z.nullable(z.string()),
});
export type CustomerPage = z.infer<typeof customerPageSchema>;

/** A store's declaration of one custom field. */
export const fieldDeclarationSchema = z.object({
  name: z.string(),
  type: fieldTypeSchema,
  createdAt: timestampSchema,
});
export type FieldDeclaration = z.infer<typeof fieldDeclarationSchema>;

/** Every custom field declared in a store. */
export const fieldDeclarationListSchema = z.object({ data: z.array(fieldDeclarationSchema) });

/** An RFC 9457 problem document with Patron's field-level `errors`. */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().check(z.int()),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  errors: z.optional(
    z.array(z.looseObject({ path: z.string(), code: z.string(), message: z.string() })),
  ),
});
