import { describe, expect, it } from "vitest";
import { upsertRequestSchema } from "./schemas/request.js";
import { inferFieldType, isDateTime } from "./upsert.js";
import { toFieldIssues } from "./validation.js";

function issuesOf(body: unknown) {
  const result = upsertRequestSchema.safeParse(body);
  return result.success ? [] : toFieldIssues(result.error.issues).map((i) => `${i.path}:${i.code}`);
}

describe("custom field type inference", () => {
  it("recognises ISO 8601 date-times with a time and a zone only", () => {
    expect(isDateTime("2026-02-24T12:15:00.000Z")).toBe(true);
    expect(isDateTime("2026-02-24T12:15:00+05:30")).toBe(true);
    expect(isDateTime("2026-02-24T12:15Z")).toBe(true);
    expect(isDateTime("2026-02-24")).toBe(false);
    expect(isDateTime("2026-02-24T12:15:00")).toBe(false);
    expect(isDateTime("2026-13-45T99:99:00Z")).toBe(false);
  });

  it("maps values to STRING, NUMBER, BOOLEAN and DATE", () => {
    expect([true, 1.5, "web", "2026-02-24T12:15:00Z"].map(inferFieldType)).toEqual([
      "BOOLEAN",
      "NUMBER",
      "STRING",
      "DATE",
    ]);
  });
});

describe("request messages", () => {
  it("says a missing email is required", () => {
    const result = upsertRequestSchema.safeParse({ firstName: "Ann" });
    expect(result.success).toBe(false);
    const issues = toFieldIssues(result.error?.issues ?? []);
    expect(issues).toEqual([{ path: "email", code: "invalid_type", message: "Email is required" }]);
  });
});

describe("request limits", () => {
  it("accepts values at each limit and rejects one past it", () => {
    const local = "a".repeat(64);
    const longEmail = `${local}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`;
    expect(longEmail.length).toBe(254);
    expect(issuesOf({ email: longEmail })).toEqual([]);
    expect(issuesOf({ email: `a${longEmail}` })).toContain("email:too_big");
    expect(issuesOf({ email: "a@b.co", firstName: "x".repeat(255) })).toEqual([]);
    expect(issuesOf({ email: "a@b.co", firstName: "x".repeat(256) })).toEqual([
      "firstName:too_big",
    ]);
    const text = "x".repeat(10_000);
    expect(issuesOf({ email: "a@b.co", customFields: { text } })).toEqual([]);
    expect(issuesOf({ email: "a@b.co", customFields: { text: `${text}x` } })).toEqual([
      "customFields.text:too_big",
    ]);
  });

  it("limits custom fields to 100 keys of 1 to 128 characters without control characters", () => {
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    expect(issuesOf({ email: "a@b.co", customFields: hundred })).toEqual([]);
    expect(issuesOf({ email: "a@b.co", customFields: { ...hundred, k100: 1 } })).toEqual([
      "customFields:too_big",
    ]);
    const keys = { "": 1, ["k".repeat(129)]: 2, "tab\tkey": 3, ["k".repeat(128)]: 4 };
    expect(issuesOf({ email: "a@b.co", customFields: keys }).sort()).toEqual([
      "customFields.:invalid_key",
      `customFields.${"k".repeat(129)}:invalid_key`,
      "customFields.tab\tkey:invalid_key",
    ]);
  });

  it("checks latitude, longitude and country codes", () => {
    const location = { latitude: -90, longitude: 180, countryCode: "gb" };
    expect(issuesOf({ email: "a@b.co", location })).toEqual([]);
    expect(
      issuesOf({
        email: "a@b.co",
        location: { latitude: -90.1, longitude: 181, countryCode: "G" },
      }),
    ).toEqual([
      "location.countryCode:invalid_format",
      "location.latitude:too_small",
      "location.longitude:too_big",
    ]);
  });
});
