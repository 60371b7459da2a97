import { beforeEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../memory-store.js";
import { createStore, issueToken } from "../service.js";
import { SEED_REQUEST } from "../testing.js";
import { createApp, type ResponseEvent } from "./app.js";

const BASE = "http://patron.test";

let store: MemoryStore;
let app: ReturnType<typeof createApp>;
let storeId: string;
let token: string;
let events: ResponseEvent[];
let errors: unknown[];

beforeEach(async () => {
  store = new MemoryStore();
  events = [];
  errors = [];
  app = createApp({
    store,
    onResponse: (event) => events.push(event),
    onError: (error) => errors.push(error),
  });
  storeId = (await createStore(store, "Shop")).id;
  token = await issueToken(store, storeId);
});

function put(body: unknown, init: { headers?: Record<string, string>; path?: string } = {}) {
  return app.fetch(
    new Request(`${BASE}${init.path ?? `/v2.2/stores/${storeId}/customers`}`, {
      method: "PUT",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        ...init.headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

function get(path: string, headers: Record<string, string> = {}) {
  return app.fetch(
    new Request(`${BASE}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } }),
  );
}

async function problemOf(response: Response) {
  expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  return (await response.json()) as {
    type: string;
    status: number;
    errors?: { path: string; code: string }[];
  };
}

describe("the seed request", () => {
  it("creates with 201, updates with 200, and reads back the merged profile", async () => {
    const first = await put(SEED_REQUEST);
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email: "jane@example.com",
      created: true,
    });

    const second = await put(SEED_REQUEST);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ ...created, created: false });

    await put({
      email: "JANE@example.com",
      phoneNumber: "+12345678900",
      location: { city: "Tacoma" },
    });
    const profile = await get(`/v2.2/stores/${storeId}/customers?email=jane%40example.com`);
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({
      id: created.id,
      email: "jane@example.com",
      displayName: "Jane Smith",
      phoneNumber: "+12345678900",
      phoneNumbers: ["+11234567890", "+12345678900"],
      location: { ...SEED_REQUEST.location, city: "Tacoma" },
      customFields: SEED_REQUEST.customFields,
    });
  });
});

describe("authentication", () => {
  it("answers 401 with WWW-Authenticate for a missing, malformed or unknown token", async () => {
    for (const authorization of [
      undefined,
      "Basic abc",
      `Bearer ${token}x`,
      `Bearer pat_${"A".repeat(43)}`,
    ]) {
      const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
      const response = await app.fetch(
        new Request(`${BASE}/v2.2/stores/${storeId}/customers?email=a@b.co`, { headers }),
      );
      expect(response.status).toBe(401);
      expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
      expect((await problemOf(response)).type).toBe("https://patron.dev/problems/unauthorized");
    }
  });

  it("answers 403 for another store's id without saying whether it exists", async () => {
    const other = await createStore(store, "Other");
    const existing = await get(`/v2.2/stores/${other.id}/customers?email=a@b.co`);
    const missing = await get("/v2.2/stores/0123456789abcdef01234567/customers?email=a@b.co");
    expect([existing.status, missing.status]).toEqual([403, 403]);
    expect(await existing.text()).toBe(await missing.text());
  });

  it("answers 404 for a malformed store id", async () => {
    const response = await get("/v2.2/stores/not-an-id/customers?email=a@b.co");
    expect(response.status).toBe(404);
  });
});

describe("request bodies", () => {
  it("reports every validation problem at once with field paths", async () => {
    const response = await put({
      email: "not-an-email",
      phoneNumber: "555-1234",
      location: { latitude: 91, countryCode: "USA", planet: "Earth" },
      customFields: { ok: 1, bad: { nested: true } },
      favouriteColour: "blue",
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe("https://patron.dev/problems/validation");
    const paths = problem.errors?.map((e) => `${e.path}:${e.code}`).sort();
    expect(paths).toEqual(
      [
        "customFields.bad:invalid_type",
        "email:invalid_format",
        "favouriteColour:unknown_field",
        "location.countryCode:invalid_format",
        "location.latitude:too_big",
        "location.planet:unknown_field",
        "phoneNumber:invalid_e164",
      ].sort(),
    );
  });

  it("accepts the source's own phone examples and punctuation", async () => {
    for (const phoneNumber of ["+11234567890", "+12345678900", "+44 (20) 7946.0958"]) {
      expect((await put({ email: "p@example.com", phoneNumber })).status).toBeLessThan(300);
    }
  });

  it("rejects bodies that are not objects", async () => {
    for (const body of ["[]", '"text"', "42", "null"]) {
      const response = await put(body);
      expect(response.status).toBe(400);
    }
  });

  it("answers 400 for malformed JSON, 415 for other media types, 413 past 1 MiB", async () => {
    expect((await put('{"email": "a@b.co",')).status).toBe(400);
    const text = await put(JSON.stringify({ email: "a@b.co" }), {
      headers: { "Content-Type": "text/plain" },
    });
    expect(text.status).toBe(415);
    const charset = await put(
      { email: "a@b.co" },
      {
        headers: { "Content-Type": "application/json; charset=utf-8" },
      },
    );
    expect(charset.status).toBe(201);
    const big = await put({ email: "big@b.co", firstName: "x".repeat(1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await problemOf(big)).type).toBe("https://patron.dev/problems/payload-too-large");
  });

  it("refuses a declared Content-Length past the limit before reading the body", async () => {
    const declared = await put({ email: "a@b.co" }, { headers: { "Content-Length": "1048577" } });
    expect(declared.status).toBe(413);
    expect((await declared.json()).detail).toBe("The body must be at most 1 MiB");
    const within = JSON.stringify({ email: "len@b.co" });
    const response = await put(within, {
      headers: { "Content-Length": String(new TextEncoder().encode(within).byteLength) },
    });
    expect(response.status).toBe(201);
  });

  it("counts streamed bodies without a Content-Length against the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await app.fetch(
      new Request(`${BASE}/v2.2/stores/${storeId}/customers`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
  });

  it("answers 422 naming each conflicting custom field, and stores nothing from it", async () => {
    await put({ email: "c@example.com", customFields: { points: 1, vip: true } });
    const response = await put({
      email: "c@example.com",
      firstName: "Changed",
      customFields: { points: "lots", vip: "yes" },
    });
    expect(response.status).toBe(422);
    const problem = (await problemOf(response)) as unknown as {
      errors: { path: string; declaredType: string; receivedType: string }[];
    };
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: "customFields.points",
        declaredType: "NUMBER",
        receivedType: "STRING",
      }),
      expect.objectContaining({
        path: "customFields.vip",
        declaredType: "BOOLEAN",
        receivedType: "STRING",
      }),
    ]);
    const profile = await (
      await get(`/v2.2/stores/${storeId}/customers?email=c@example.com`)
    ).json();
    expect(profile.firstName).toBeUndefined();
  });

  it("never answers 5xx to random malformed bodies and never changes stored data", async () => {
    await put(SEED_REQUEST);
    const before = await (
      await get(`/v2.2/stores/${storeId}/customers?email=jane@example.com`)
    ).text();
    const samples: unknown[] = [null, true, -0, 1e308, "", "x", [], {}, [1, [2]], { a: null }];
    let seed = 7;
    const pick = <T>(items: T[]) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return items[seed % items.length]!;
    };
    const keys = [
      "email",
      "firstName",
      "phoneNumber",
      "location",
      "customFields",
      "latitude",
      "__proto__",
    ];
    for (let i = 0; i < 300; i++) {
      const body: Record<string, unknown> = {
        email: pick(["jane@example.com", " JANE@EXAMPLE.COM", 5]),
      };
      for (let k = 0; k < 3; k++) {
        const key = pick(keys);
        body[key] = pick([
          ...samples,
          { latitude: pick(samples) },
          { [pick(keys)]: pick(samples) },
        ]);
      }
      const response = await put(body);
      expect(response.status, JSON.stringify(body)).toBeLessThan(500);
      if (response.status < 300) await put(SEED_REQUEST);
    }
    expect(errors).toEqual([]);
    const after = await (
      await get(`/v2.2/stores/${storeId}/customers?email=jane@example.com`)
    ).json();
    const original = JSON.parse(before);
    expect(after.customFields).toEqual(original.customFields);
  });
});

describe("reading", () => {
  it("answers 404 as a problem for an unknown email and 400 for a bad one", async () => {
    const missing = await get(`/v2.2/stores/${storeId}/customers?email=nobody@example.com`);
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).type).toBe("https://patron.dev/problems/customer-not-found");
    const bad = await get(`/v2.2/stores/${storeId}/customers?email=nope`);
    expect(bad.status).toBe(400);
  });

  it("pages through customers and validates limit and cursor", async () => {
    for (let i = 0; i < 5; i++) await put({ email: `u${i}@example.com` });
    const first = await (await get(`/v2.2/stores/${storeId}/customers?limit=3`)).json();
    expect(first.data).toHaveLength(3);
    const second = await (
      await get(`/v2.2/stores/${storeId}/customers?limit=3&cursor=${first.nextCursor}`)
    ).json();
    expect(second.data.map((c: { email: string }) => c.email)).toEqual([
      "u3@example.com",
      "u4@example.com",
    ]);
    expect(second.nextCursor).toBeNull();
    for (const query of ["limit=0", "limit=501", "limit=abc", "cursor=zzz"]) {
      const response = await get(`/v2.2/stores/${storeId}/customers?${query}`);
      expect(response.status, query).toBe(400);
    }
  });

  it("lists custom field declarations with their types", async () => {
    await put(SEED_REQUEST);
    const list = await (await get(`/v2.2/stores/${storeId}/custom-fields`)).json();
    expect(list.data.map((d: { name: string; type: string }) => [d.name, d.type])).toEqual([
      ["pricing_plan", "STRING"],
      ["status", "STRING"],
      ["subscription_source", "STRING"],
      ["loyalty_points", "NUMBER"],
      ["vip_member", "BOOLEAN"],
    ]);
  });
});

describe("operations", () => {
  it("echoes the caller's X-Request-Id or makes one, and reports each response", async () => {
    const echoed = await get(`/v2.2/stores/${storeId}/customers?limit=1`, {
      "X-Request-Id": "req-123",
    });
    expect(echoed.headers.get("X-Request-Id")).toBe("req-123");
    const made = await get("/healthz");
    expect(made.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[0]).toMatchObject({
      requestId: "req-123",
      method: "GET",
      route: "/v2.2/stores/:storeId/customers",
      status: 200,
    });
  });

  it("answers 405 with Allow for other methods and 404 for other routes", async () => {
    const response = await app.fetch(
      new Request(`${BASE}/v2.2/stores/${storeId}/customers`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${token}` },
      }),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, PUT");
    expect((await get("/v2.3/anything")).status).toBe(404);
  });

  it("answers /healthz with 503 when the store does not answer", async () => {
    expect((await get("/healthz")).status).toBe(200);
    store.ping = async () => {
      throw new Error("connection refused");
    };
    const response = await get("/healthz");
    expect(response.status).toBe(503);
  });

  it("hides internal errors behind a 500 problem and hands them to onError", async () => {
    store.upsert = async () => {
      throw new Error("SELECT secret FROM tokens WHERE hash = 'abc'");
    };
    const response = await put({ email: "a@b.co" });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/SELECT|secret|stack|pat_/);
    expect(errors).toHaveLength(1);
  });

  it("serves an OpenAPI 3.1 document generated from the request schemas", async () => {
    const document = await (await get("/openapi.json")).json();
    expect(document.openapi).toBe("3.1.0");
    const request = document.components.schemas.UpsertCustomerRequest;
    expect(request.required).toEqual(["email"]);
    expect(request.additionalProperties).toBe(false);
    expect(JSON.stringify(request.properties.phoneNumber)).toContain("^\\\\+[1-9]\\\\d{6,14}$");
    const refs = JSON.stringify(document).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs) {
      expect(document.components.schemas).toHaveProperty(ref.split("/").pop()!);
    }
  });
});

describe("cross-origin pages", () => {
  it("answers preflights and tags responses only for the configured origins", async () => {
    const corsApp = createApp({ store, corsOrigins: ["https://shop.example"] });
    const preflight = await corsApp.fetch(
      new Request(`${BASE}/v2.2/stores/${storeId}/customers`, {
        method: "OPTIONS",
        headers: {
          Origin: "https://shop.example",
          "Access-Control-Request-Method": "PUT",
          "Access-Control-Request-Headers": "authorization, content-type",
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("https://shop.example");
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);

    const response = await corsApp.fetch(
      new Request(`${BASE}/v2.2/stores/${storeId}/customers?limit=1`, {
        headers: { Origin: "https://evil.example", Authorization: `Bearer ${token}` },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const plain = await get(`/v2.2/stores/${storeId}/customers?limit=1`, {
      Origin: "https://shop.example",
    });
    expect(plain.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
