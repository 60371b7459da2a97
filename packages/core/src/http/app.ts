import { Hono } from "hono";
import { cors } from "hono/cors";
import { routePath } from "hono/route";
import { z } from "zod";
import { PatronError } from "../errors.js";
import { isId } from "../ids.js";
import { getCustomerProfile, listCustomerProfiles, upsertCustomer } from "../service.js";
import type { CustomerStore } from "../store.js";
import { parseOrThrow } from "../validation.js";
import { TokenResolver } from "./auth.js";
import { buildOpenApiDocument } from "./openapi.js";
import { isServerError, problemResponse } from "./problem-response.js";
import { readBodyText } from "./read-body.js";
import { requestIdFor } from "./request-id.js";

/** One finished request, as the app reports it to `onResponse`. No personal data is included. */
export interface ResponseEvent {
  requestId: string;
  method: string;
  /** The matched route pattern, such as `/v2.2/stores/:storeId/customers`. */
  route: string;
  status: number;
  durationMs: number;
}

/** Options for {@link createApp}. */
export interface AppOptions {
  store: CustomerStore;
  /** Called with every error that became a 5xx; the core itself never logs. */
  onError?: (error: unknown, context: { requestId: string; method: string; path: string }) => void;
  /** Called once per response, after it is built. */
  onResponse?: (event: ResponseEvent) => void;
  /** Largest accepted request body in bytes; 1 MiB by default. */
  maxBodyBytes?: number;
  /**
   * Origins whose pages may call the API from a browser (CORS), such as
   * `["https://shop.example"]`, or `"*"` for any. None by default: only same-origin pages and
   * non-browser clients.
   */
  corsOrigins?: readonly string[] | "*";
}

type AppEnv = { Variables: { requestId: string; storeId: string } };

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

/**
 * Builds the Patron HTTP app: Web `Request` in, `Response` out. Every runtime serves this same
 * app; adapters only hand it a store and a way to listen.
 */
export function createApp(options: AppOptions) {
  const { store } = options;
  const tokens = new TokenResolver(store);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = new Hono<AppEnv>();
  let openApiDocument: string | undefined;

  app.use("*", async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFor(c.req.header("X-Request-Id"));
    c.set("requestId", requestId);
    await next();
    c.res.headers.set("X-Request-Id", requestId);
    options.onResponse?.({
      requestId,
      method: c.req.method,
      route: routePath(c, -1) || "(unmatched)",
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    });
  });

  app.onError((error, c) => {
    if (isServerError(error)) {
      const requestId = c.get("requestId") ?? "";
      options.onError?.(error, { requestId, method: c.req.method, path: c.req.path });
    }
    return problemResponse(error, { "X-Request-Id": c.get("requestId") ?? "" });
  });

  app.notFound(() => problemResponse(new PatronError("not_found", { detail: "No such route" })));

  if (options.corsOrigins && options.corsOrigins.length > 0) {
    // Before authentication, so preflight requests (which carry no token) are answered.
    app.use(
      "/v2.2/*",
      cors({
        origin: options.corsOrigins === "*" ? "*" : [...options.corsOrigins],
        allowMethods: ["GET", "PUT"],
        allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
        exposeHeaders: ["X-Request-Id", "Retry-After"],
        maxAge: 600,
      }),
    );
  }

  app.get("/healthz", async (c) => {
    try {
      await store.ping();
      return c.json({ status: "ok" });
    } catch (error) {
      throw new PatronError("store_unavailable", {
        detail: "The store does not answer",
        cause: error,
      });
    }
  });

  app.get("/openapi.json", (c) => {
    openApiDocument ??= JSON.stringify(buildOpenApiDocument());
    return c.body(openApiDocument, 200, { "Content-Type": "application/json" });
  });

  // Authentication comes before the store id check, so a caller without a valid token learns
  // nothing about which store ids exist.
  app.use("/v2.2/stores/:storeId/*", async (c, next) => {
    const tokenStoreId = await tokens.resolve(c.req.header("Authorization"));
    const storeId = c.req.param("storeId");
    if (!isId(storeId)) throw new PatronError("not_found", { detail: "No such store" });
    if (storeId !== tokenStoreId) {
      throw new PatronError("forbidden", { detail: "This token belongs to another store" });
    }
    c.set("storeId", storeId);
    await next();
  });

  app.put("/v2.2/stores/:storeId/customers", async (c) => {
    if (!JSON_MEDIA_TYPE.test(c.req.header("Content-Type") ?? "")) {
      throw new PatronError("unsupported_media_type", {
        detail: "Send the body as application/json",
      });
    }
    const body = parseJson(await readBodyText(c, maxBodyBytes));
    const result = await upsertCustomer(store, c.get("storeId"), body);
    return c.json(result, result.created ? 201 : 200);
  });

  app.get("/v2.2/stores/:storeId/customers", async (c) => {
    const email = c.req.query("email");
    if (email !== undefined) {
      return c.json(await getCustomerProfile(store, c.get("storeId"), email));
    }
    const query = parseOrThrow(listQuerySchema, c.req.query(), "invalid_query", "query");
    return c.json(await listCustomerProfiles(store, c.get("storeId"), query));
  });

  app.get("/v2.2/stores/:storeId/custom-fields", async (c) => {
    return c.json({ data: await store.listDeclarations(c.get("storeId")) });
  });

  app.all("/v2.2/stores/:storeId/customers", () => methodNotAllowed("GET, PUT"));
  app.all("/v2.2/stores/:storeId/custom-fields", () => methodNotAllowed("GET"));

  return app;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PatronError("invalid_json", { detail: "The body is not valid JSON", cause: error });
  }
}

function methodNotAllowed(allow: string): Response {
  const error = new PatronError("method_not_allowed", { detail: `Allowed methods: ${allow}` });
  return problemResponse(error, { Allow: allow });
}

/** The app {@link createApp} returns. */
export type PatronApp = ReturnType<typeof createApp>;
