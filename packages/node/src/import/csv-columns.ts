/**
 * How CSV columns become upsert bodies. A header names API fields: `email`, `firstName`,
 * `lastName`, `phoneNumber`, dotted `location.city`-style columns, and `customFields.NAME`
 * columns. Cells are text, so each column decides how to type its cells:
 *
 * - An empty cell is absent: the field is left as it is (it never clears a value).
 * - `location.latitude` and `location.longitude` cells are numbers.
 * - A `customFields.NAME` cell is a boolean when it reads `true` or `false` (any case), a number
 *   when it is a plain decimal number (`42`, `-1.5`, `1e3`; not `007`, `+1`, `1,000` or `0x10`),
 *   and a string otherwise (so an ISO date-time becomes a `DATE` field through the usual rules).
 * - A suffix forces a type: `customFields.zip:string` keeps `02134` and `98101` as strings,
 *   `:number` and `:boolean` reject cells that are not one.
 */

/** Where a column's cells go in the upsert body. */
export type ColumnTarget =
  | { kind: "field"; name: "email" | "firstName" | "lastName" | "phoneNumber" }
  | { kind: "location"; name: string; numeric: boolean }
  | { kind: "custom"; name: string; type: CellType };

/** How a custom field column types its cells. */
export type CellType = "auto" | "string" | "number" | "boolean";

const TOP_LEVEL = new Set(["email", "firstName", "lastName", "phoneNumber"]);
const LOCATION_TEXT = [
  "street1",
  "street2",
  "city",
  "state",
  "stateCode",
  "postalCode",
  "country",
  "countryCode",
];
const LOCATION_NUMERIC = ["latitude", "longitude"];
const FORCED_TYPE = /:(string|number|boolean)$/;
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Reads a header row. Throws an `Error` naming the first unknown, empty or repeated column, since
 * such a header would reject every row.
 */
export function readHeader(cells: readonly string[]): ColumnTarget[] {
  const seen = new Set<string>();
  return cells.map((raw, index) => {
    const column = raw.trim();
    if (column === "") throw new Error(`Column ${index + 1} of the header has no name`);
    if (seen.has(column)) throw new Error(`The header names the column "${column}" twice`);
    seen.add(column);
    return columnTarget(column);
  });
}

function columnTarget(column: string): ColumnTarget {
  if (TOP_LEVEL.has(column)) return { kind: "field", name: column as "email" };
  if (column.startsWith("location.")) {
    const name = column.slice("location.".length);
    if (LOCATION_TEXT.includes(name)) return { kind: "location", name, numeric: false };
    if (LOCATION_NUMERIC.includes(name)) return { kind: "location", name, numeric: true };
    throw new Error(`Unknown location column "${column}"`);
  }
  if (column.startsWith("customFields.")) {
    const rest = column.slice("customFields.".length);
    const forced = FORCED_TYPE.exec(rest);
    const name = forced ? rest.slice(0, forced.index) : rest;
    if (name === "") throw new Error(`The column "${column}" names no custom field`);
    return { kind: "custom", name, type: (forced?.[1] as CellType | undefined) ?? "auto" };
  }
  throw new Error(
    `Unknown column "${column}": use email, firstName, lastName, phoneNumber, ` +
      "location.FIELD or customFields.NAME",
  );
}

/**
 * Builds the upsert body for one row, or returns the problems that stop it (a cell count that
 * does not match the header, a cell that does not fit its forced type). Everything else is left
 * to the API's own validation, so CSV rows are held to exactly the same rules as HTTP requests.
 */
export function rowToBody(
  columns: readonly ColumnTarget[],
  cells: readonly string[],
): { body: Record<string, unknown> } | { problems: string[] } {
  if (cells.length !== columns.length) {
    return { problems: [`The row has ${cells.length} cells; the header has ${columns.length}`] };
  }
  const body: Record<string, unknown> = {};
  const location: Record<string, unknown> = {};
  const customFields: Record<string, unknown> = Object.create(null);
  const problems: string[] = [];

  columns.forEach((column, index) => {
    const cell = cells[index]!;
    if (cell.trim() === "") return;
    if (column.kind === "field") body[column.name] = cell;
    else if (column.kind === "location") {
      location[column.name] =
        column.numeric && PLAIN_NUMBER.test(cell.trim()) ? Number(cell) : cell;
    } else {
      const typed = typeCell(cell, column.type);
      if (typed === undefined) problems.push(`customFields.${column.name}: not a ${column.type}`);
      else customFields[column.name] = typed;
    }
  });

  if (problems.length > 0) return { problems };
  if (Object.keys(location).length > 0) body.location = location;
  if (Object.keys(customFields).length > 0) body.customFields = customFields;
  return { body };
}

/** The value a custom field cell holds, or `undefined` when it does not fit a forced type. */
function typeCell(cell: string, type: CellType): string | number | boolean | undefined {
  const trimmed = cell.trim();
  const lower = trimmed.toLowerCase();
  const bool = lower === "true" ? true : lower === "false" ? false : undefined;
  const number = PLAIN_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
  switch (type) {
    case "string":
      return cell;
    case "number":
      return number;
    case "boolean":
      return bool;
    case "auto":
      return bool ?? number ?? cell;
  }
}
