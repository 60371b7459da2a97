import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DATABASE, openStore, parseLocation, resolveLocation } from "./open-store.js";
import { SqliteStore } from "./sqlite-store.js";
import { tempFolder } from "./test-helpers.js";

const folder = tempFolder("open-store");
afterAll(() => folder.remove());

describe("openStore", () => {
  it("prefers --db, then PATRON_DATABASE_URL, then the default file under the folder", () => {
    const env = { PATRON_DATABASE_URL: "/data/env.db" };
    expect(resolveLocation("/data/flag.db", env, "/work")).toBe("/data/flag.db");
    expect(resolveLocation(undefined, env, "/work")).toBe("/data/env.db");
    expect(resolveLocation(undefined, {}, "/work")).toBe(join("/work", DEFAULT_DATABASE));
  });

  it("tells SQLite paths from PostgreSQL and unsupported URLs", () => {
    expect(parseLocation("patron.db")).toEqual({ kind: "sqlite", filename: "patron.db" });
    expect(parseLocation(":memory:")).toEqual({ kind: "sqlite", filename: ":memory:" });
    expect(parseLocation("file:///tmp/p.db")).toEqual({ kind: "sqlite", filename: "/tmp/p.db" });
    expect(parseLocation("C:\\data\\p.db")).toEqual({ kind: "sqlite", filename: "C:\\data\\p.db" });
    expect(parseLocation("postgres://u@h/db")).toEqual({
      kind: "postgres",
      url: "postgres://u@h/db",
    });
    expect(parseLocation("mysql://h/db")).toEqual({ kind: "unsupported", scheme: "mysql" });
  });

  it("creates a missing SQLite file together with its folder", async () => {
    const filename = join(folder.path, "nested", "deeper", "patron.db");
    const store = await openStore(filename);
    expect(store).toBeInstanceOf(SqliteStore);
    await store.ping();
    await store.close();
    expect(existsSync(filename)).toBe(true);
  });

  it("refuses an unsupported URL scheme", async () => {
    await expect(openStore("mysql://localhost/patron")).rejects.toThrow(/Unsupported/);
  });
});
