import { z } from "zod";
import {
  customerPageSchema,
  fieldDeclarationListSchema,
  fieldDeclarationSchema,
  locationSchema,
  problemSchema,
  profileSchema,
  upsertResponseSchema,
} from "../schemas/profile.js";
import { upsertRequestSchema } from "../schemas/request.js";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

const json = (id: string) => ({ "application/json": { schema: ref(id) } });

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});

const storeIdParameter = {
  name: "storeId",
  in: "path",
  required: true,
  description: "Store id: 24 lowercase hex characters",
  schema: { type: "string", pattern: "^[0-9a-f]{24}$" },
  example: "64e5a8a1af49a89df37e4ee7",
};

const authProblems = {
  "401": problem("Missing, malformed or unknown token"),
  "403": problem("The token belongs to another store"),
  "404": problem("Malformed store id, or no such customer"),
};

/** Every schema the document names, keyed by its component id. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  registry.add(upsertRequestSchema, { id: "UpsertCustomerRequest" });
  registry.add(upsertResponseSchema, { id: "UpsertCustomerResponse" });
  registry.add(profileSchema, { id: "CustomerProfile" });
  registry.add(customerPageSchema, { id: "CustomerPage" });
  registry.add(fieldDeclarationSchema, { id: "CustomFieldDeclaration" });
  registry.add(fieldDeclarationListSchema, { id: "CustomFieldList" });
  registry.add(locationSchema, { id: "Location" });
  registry.add(problemSchema, { id: "Problem" });
  // Requests are described as clients send them; transforms (trimming, upper-casing) and the
  // hand-written custom field check cannot be expressed, so their metadata stands in.
  const generated = z.toJSONSchema(registry, {
    io: "input",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const schemas: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    // Components live inside the document, so they carry neither a dialect nor an id of their own.
    const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
    schemas[id] = rest;
  }
  return schemas;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "Patron customer profiles",
      version: "2.2",
      description:
        "Create or update customers by email (Redo API v2.2 compatible), read them back, " +
        "and list customers and custom field declarations.",
    },
    servers: [{ url: "/v2.2" }],
    security: [{ bearer: [] }],
    paths: {
      "/stores/{storeId}/customers": {
        parameters: [storeIdParameter],
        put: {
          operationId: "upsertCustomer",
          summary: "Create or update a customer",
          requestBody: { required: true, content: json("UpsertCustomerRequest") },
          responses: {
            "200": {
              description: "Existing customer updated",
              content: json("UpsertCustomerResponse"),
            },
            "201": { description: "Customer created", content: json("UpsertCustomerResponse") },
            "400": problem("Invalid body, with every problem listed by field path"),
            ...authProblems,
            "413": problem("Body larger than 1 MiB"),
            "415": problem("Body is not application/json"),
            "422": problem("Custom field type conflict, or declaration limit reached"),
          },
        },
        get: {
          operationId: "getOrListCustomers",
          summary: "Get a customer by email, or list customers oldest first",
          parameters: [
            { name: "email", in: "query", schema: { type: "string", format: "email" } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500 } },
            { name: "cursor", in: "query", schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "The profile (with `email`) or a page of profiles (without)",
              content: {
                "application/json": {
                  schema: { oneOf: [ref("CustomerProfile"), ref("CustomerPage")] },
                },
              },
            },
            "400": problem("Invalid query"),
            ...authProblems,
          },
        },
      },
      "/stores/{storeId}/custom-fields": {
        parameters: [storeIdParameter],
        get: {
          operationId: "listCustomFields",
          summary: "List the store's custom field declarations",
          responses: {
            "200": { description: "Declarations", content: json("CustomFieldList") },
            ...authProblems,
          },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
  };
}
