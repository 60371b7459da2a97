import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SEED_REQUEST } from "@patron/core/testing";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, sendJson, startServer, tempFolder } from "./test-helpers.js";

const folder = tempFolder("cli");
afterAll(() => folder.remove());

/** The NDJSON file with bad rows: lines 3, 4, 6 and 8 must be rejected, the rest land. */
const NDJSON_WITH_BAD_ROWS = [
  JSON.stringify({ email: "ada@example.com", firstName: "Ada", customFields: { points: 10 } }),
  JSON.stringify({ email: "bob@example.com", phoneNumber: "+44 7911 123456" }),
  JSON.stringify({ email: "not-an-email" }),
  "{ this is not json",
  "",
  JSON.stringify({ email: "carol@example.com", customFields: { points: "lots" } }),
  JSON.stringify({ ...SEED_REQUEST, email: "jane@example.com" }),
  JSON.stringify({ email: "dave@example.com", nickname: "D" }),
].join("\n");

const CSV_WITH_BAD_ROWS = [
  "email,firstName,location.city,location.latitude,customFields.points,customFields.zip:string",
  "erin@example.com,Erin,Portland,45.5,7,02134",
  "frank@example.com,Frank,,,,",
  "bad email,Nope,,,,",
  "gina@example.com,Gina,Denver,north,,",
  '"hal@example.com","Hal ""the"" Third",Boston,,12,',
  "ivy@example.com,Ivy,too,many,cells,here,now",
].join("\r\n");

type Profile = Record<string, unknown> & { email: string };

/** A profile without what a re-import assigns anew. */
function portable({ id: _id, createdAt: _c, updatedAt: _u, ...rest }: Profile) {
  return rest;
}

function parseNdjson(text: string): Profile[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Profile);
}

describe("the patron CLI", () => {
  it("runs a store from creation to export and re-import", async () => {
    const db = join(folder.path, "e2e", "patron.db");
    const created = await runCli(["stores", "create", "--name", "E2E shop", "--json", "--db", db]);
    expect(created.code).toBe(0);
    const storeId = (JSON.parse(created.stdout) as { id: string }).id;
    const issued = await runCli(["tokens", "create", "--store", storeId, "--db", db]);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^pat_[A-Za-z0-9_-]{43}$/);

    const server = await startServer(["--db", db]);
    try {
      const customers = `${server.url}/v2.2/stores/${storeId}/customers`;
      expect((await sendJson("PUT", customers, token, SEED_REQUEST)).status).toBe(201);

      const ndjson = join(folder.path, "customers.ndjson");
      writeFileSync(ndjson, NDJSON_WITH_BAD_ROWS);
      const imported = await runCli(["import", ndjson, "--store", storeId, "--db", db]);
      expect(imported.code).toBe(3);
      expect(imported.stdout).toContain("Imported 3 of 7 rows (2 created, 1 updated); 4 rejected");
      const rejectedLines = imported.stderr.trim().split("\n");
      expect(rejectedLines.map((line) => line.split(":")[0])).toEqual([
        "line 3",
        "line 4",
        "line 6",
        "line 8",
      ]);
      expect(rejectedLines[0]).toContain("email: Must be a valid email address");
      expect(rejectedLines[2]).toContain("customFields.points: Declared as NUMBER");
      expect(rejectedLines[3]).toContain('Unknown field "nickname"');

      const csv = join(folder.path, "customers.csv");
      writeFileSync(csv, CSV_WITH_BAD_ROWS);
      const fromCsv = await runCli(["import", csv, "--store", storeId, "--db", db, "--json"]);
      expect(fromCsv.code).toBe(3);
      const summary = JSON.parse(fromCsv.stdout) as { imported: number; rejected: unknown[] };
      expect(summary.imported).toBe(3);
      expect(summary.rejected).toMatchObject([
        { line: 4, code: "validation_failed" },
        { line: 5, code: "validation_failed" },
        { line: 7, code: "invalid_row" },
      ]);

      const erin = await sendJson("GET", `${customers}?email=erin@example.com`, token);
      expect(erin.body).toMatchObject({
        location: { city: "Portland", latitude: 45.5 },
        customFields: { points: 7, zip: "02134" },
      });
      const hal = await sendJson("GET", `${customers}?email=hal@example.com`, token);
      expect(hal.body).toMatchObject({
        firstName: 'Hal "the" Third',
        customFields: { points: 12 },
      });
      const bob = await sendJson("GET", `${customers}?email=bob@example.com`, token);
      expect(bob.body).toMatchObject({ phoneNumber: "+447911123456" });
      await sendJson("PUT", customers, token, {
        email: "bob@example.com",
        phoneNumber: "+15550001",
      });

      const exported = await runCli(["export", "--store", storeId, "--db", db]);
      expect(exported.code).toBe(0);
      const original = parseNdjson(exported.stdout);
      expect(original.map((p) => p.email).sort()).toEqual(
        ["ada", "bob", "erin", "frank", "hal", "jane"].map((n) => `${n}@example.com`),
      );

      const copyId = (await runCli(["stores", "create", "--db", db])).stdout.trim();
      const dump = join(folder.path, "export.ndjson");
      const toFile = await runCli(["export", "--store", storeId, "--db", db, "--out", dump]);
      expect(toFile.stdout).toContain("Exported 6 customers");
      const reimported = await runCli(["import", dump, "--store", copyId, "--db", db]);
      expect(reimported.stderr).toBe("");
      expect(reimported.code).toBe(0);
      const copy = parseNdjson((await runCli(["export", "--store", copyId, "--db", db])).stdout);
      expect(copy.map(portable)).toEqual(original.map(portable));
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("uses PATRON_DATABASE_URL when --db is absent", async () => {
    const db = join(folder.path, "from-env", "env.db");
    const env = { PATRON_DATABASE_URL: db };
    const created = await runCli(["stores", "create", "--name", "Env"], { env, cwd: folder.path });
    expect(created.code).toBe(0);
    expect(existsSync(db)).toBe(true);
    const listed = await runCli(["stores", "list"], { env, cwd: folder.path });
    expect(listed.stdout).toContain(`${created.stdout.trim()}\tEnv\t`);
  });

  it("prints help for every command", async () => {
    for (const command of [[], ["serve"], ["stores"], ["tokens"], ["import"], ["export"]]) {
      const result = await runCli([...command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: patron ${command[0] ?? "<command>"}`);
    }
  });

  it("answers bad arguments with one line and exit status 2", async () => {
    const db = join(folder.path, "args.db");
    const cases = [
      ["frobnicate"],
      ["stores", "create", "--bogus"],
      ["stores", "delete"],
      ["tokens", "create"],
      ["tokens", "create", "--store", "nope"],
      ["import", "--store", "0123456789abcdef01234567"],
      ["import", "a.txt", "--store", "0123456789abcdef01234567"],
      ["serve", "--port", "eighty"],
      ["export", "--store"],
    ];
    for (const args of cases) {
      const result = await runCli([...args, "--db", db]);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/^patron: [^\n]+\n$/);
    }
  });

  it("answers a missing file, a corrupt database and a missing store with one line", async () => {
    const db = join(folder.path, "errors.db");
    const storeId = (await runCli(["stores", "create", "--db", db])).stdout.trim();
    const missing = await runCli(["import", join(folder.path, "nope.ndjson"), "--store", storeId]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^patron: Cannot use .*nope\.ndjson: no such file or folder\n$/);

    const corrupt = join(folder.path, "corrupt.db");
    writeFileSync(corrupt, "definitely not a database ".repeat(200));
    const opened = await runCli(["stores", "list", "--db", corrupt]);
    expect(opened.code).toBe(1);
    expect(opened.stderr).toMatch(/^patron: .*corrupt\.db is not a Patron database or is corrupt/);
    expect(opened.stderr.split("\n")).toHaveLength(2);

    const folderAsDb = join(folder.path, "a-folder");
    mkdirSync(folderAsDb);
    const notAFile = await runCli(["stores", "list", "--db", folderAsDb]);
    expect(notAFile.code).toBe(1);
    expect(notAFile.stderr).toMatch(/^patron: [^\n]+\n$/);

    const unknown = await runCli(["export", "--store", "0123456789abcdef01234567", "--db", db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("patron: No store has the id 0123456789abcdef01234567\n");
  });

  it("reports a database locked by another process", async () => {
    const db = join(folder.path, "locked.db");
    expect((await runCli(["stores", "create", "--db", db])).code).toBe(0);
    const holder = new Database(db);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const result = await runCli(["stores", "create", "--db", db]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^patron: The database .*locked\.db is locked by another/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it("serves a demo store with a ready-to-paste curl from the default database", async () => {
    const cwd = join(folder.path, "demo");
    mkdirSync(cwd);
    const server = await startServer(["--demo"], cwd);
    try {
      const banner = server.info as unknown as { storeId: string; token: string; upsert: string };
      expect(banner.upsert).toContain(`${server.url}/v2.2/stores/${banner.storeId}/customers`);
      const customers = `${server.url}/v2.2/stores/${banner.storeId}/customers`;
      expect((await sendJson("PUT", customers, banner.token, SEED_REQUEST)).status).toBe(201);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const stores = await runCli(["stores", "list", "--json"], { cwd });
    expect(JSON.parse(stores.stdout)).toMatchObject([{ name: "Demo store" }]);
  });
});
