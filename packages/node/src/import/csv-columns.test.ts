import { describe, expect, it } from "vitest";
import { readHeader, rowToBody } from "./csv-columns.js";

const header = readHeader([
  "email",
  "location.latitude",
  "location.postalCode",
  "customFields.auto",
  "customFields.zip:string",
  "customFields.count:number",
  "customFields.flag:boolean",
]);

function body(cells: string[]) {
  const row = rowToBody(header, cells);
  if (!("body" in row)) throw new Error(row.problems.join("; "));
  return row.body;
}

describe("CSV typing", () => {
  it("reads booleans and plain decimal numbers in custom field cells, strings otherwise", () => {
    const typed = ["true", "FALSE", "42", "-1.5", "1e3", "007", "+1", "1,000", "0x10", "2026-02-24"]
      .map((cell) => body(["a@example.com", "", "", cell, "", "", ""]).customFields)
      .map((fields) => (fields as Record<string, unknown>).auto);
    expect(typed).toEqual([
      true,
      false,
      42,
      -1.5,
      1000,
      "007",
      "+1",
      "1,000",
      "0x10",
      "2026-02-24",
    ]);
  });

  it("treats an empty cell as absent, never as a value that clears a field", () => {
    expect(body(["a@example.com", "", " ", "", "", "", ""])).toEqual({ email: "a@example.com" });
  });

  it("types location coordinates as numbers and leaves postal codes as text", () => {
    const { location } = body(["a@example.com", "47.6", "02134", "", "", "", ""]);
    expect(location).toEqual({ latitude: 47.6, postalCode: "02134" });
  });

  it("forces a column's type with a :string, :number or :boolean suffix", () => {
    const { customFields } = body(["a@example.com", "", "", "", "98101", "3", "false"]);
    expect({ ...(customFields as object) }).toEqual({ zip: "98101", count: 3, flag: false });
    expect(rowToBody(header, ["a@example.com", "", "", "", "", "three", "maybe"])).toEqual({
      problems: ["customFields.count: not a number", "customFields.flag: not a boolean"],
    });
  });

  it("keeps a __proto__ custom field as data", () => {
    const fields = rowToBody(readHeader(["email", "customFields.__proto__"]), ["a@b.co", "x"]);
    const customFields = ("body" in fields ? fields.body.customFields : {}) as object;
    expect(Object.getOwnPropertyDescriptor(customFields, "__proto__")?.value).toBe("x");
  });

  it("refuses unknown, empty and repeated columns up front", () => {
    expect(() => readHeader(["email", "nickname"])).toThrow(/Unknown column "nickname"/);
    expect(() => readHeader(["email", "location.planet"])).toThrow(/Unknown location column/);
    expect(() => readHeader(["email", ""])).toThrow(/Column 2 of the header has no name/);
    expect(() => readHeader(["email", "email"])).toThrow(/twice/);
    expect(() => readHeader(["customFields."])).toThrow(/names no custom field/);
  });
});
