/**
 * `@patron/core/client`: a typed client for the Patron API (and Redo's v2.2 customers API). It has
 * its own entry so a bundle that only talks to a server leaves the HTTP app out.
 */
import type * as z from "zod/mini";
import type { Problem } from "./errors.js";
import {
  type CustomerPage,
  type CustomerProfile,
  customerPageSchema,
  type FieldDeclaration,
  fieldDeclarationListSchema,
  profileSchema,
  type UpsertResponse,
  upsertResponseSchema,
} from "./schemas/profile.js";
import type { UpsertRequestInput } from "./schemas/request.js";

/** Options for {@link createClient}. */
export interface ClientOptions {
  /** The server, with or without the `/v2.2` suffix: `http://127.0.0.1:8787/v2.2`. */
  baseUrl: string;
  /** A store token (`pat_…`). */
  token: string;
  /** The store every call addresses. */
  storeId: string;
  /** A `fetch` to use instead of the global one (tests, Service Workers, instrumentation). */
  fetch?: typeof fetch;
  /** Per attempt; 10 seconds by default. */
  timeoutMs?: number;
  /** Extra attempts after a network error, a 429 or a 5xx; 2 by default, 0 disables retrying. */
  retries?: number;
}

/** An API call that failed. `problem` is the server's RFC 9457 document, or one made locally. */
export class PatronClientError extends Error {
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly problem: Problem;
  /** Whether trying again later may succeed: network errors, 429 and 5xx. */
  readonly retryable: boolean;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(problem: Problem, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(problem.detail ?? problem.title, { cause: options.cause });
    this.name = "PatronClientError";
    this.status = problem.status;
    this.problem = problem;
    this.retryable = problem.status === 0 || problem.status === 429 || problem.status >= 500;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The calls a Patron client offers. */
export interface PatronClient {
  /** Creates or updates the customer with `body.email`. */
  upsertCustomer(body: UpsertRequestInput): Promise<UpsertResponse>;
  /** The full profile for an email; a 404 `PatronClientError` when there is none. */
  getCustomer(email: string): Promise<CustomerProfile>;
  /** One page of customers, oldest first. */
  listCustomers(options?: { limit?: number; cursor?: string }): Promise<CustomerPage>;
  /** The store's custom field declarations. */
  listCustomFields(): Promise<FieldDeclaration[]>;
}

const BASE_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 5_000;

/** Creates a client for one store. */
export function createClient(options: ClientOptions): PatronClient {
  const root = options.baseUrl.replace(/\/+$/, "");
  const apiBase = root.endsWith("/v2.2") ? root : `${root}/v2.2`;
  const storePath = `${apiBase}/stores/${encodeURIComponent(options.storeId)}`;
  const call = <S extends z.ZodMiniType>(path: string, init: RequestInit, schema: S) =>
    request(options, `${storePath}${path}`, init, schema);

  return {
    upsertCustomer: (body) =>
      call(
        "/customers",
        {
          method: "PUT",
          body: JSON.stringify(body),
          headers: { "Content-Type": "application/json" },
        },
        upsertResponseSchema,
      ),
    getCustomer: (email) =>
      call(`/customers?email=${encodeURIComponent(email)}`, { method: "GET" }, profileSchema),
    listCustomers: (page = {}) => {
      const query = new URLSearchParams();
      if (page.limit !== undefined) query.set("limit", String(page.limit));
      if (page.cursor !== undefined) query.set("cursor", page.cursor);
      return call(`/customers?${query}`, { method: "GET" }, customerPageSchema);
    },
    listCustomFields: async () =>
      (await call("/custom-fields", { method: "GET" }, fieldDeclarationListSchema)).data,
  };
}

async function request<S extends z.ZodMiniType>(
  options: ClientOptions,
  url: string,
  init: RequestInit,
  schema: S,
): Promise<z.output<S>> {
  const attempts = 1 + Math.max(0, options.retries ?? 2);
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(options, url, init, schema);
    } catch (error) {
      if (!(error instanceof PatronClientError) || !error.retryable || attempt >= attempts) {
        throw error;
      }
      const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
      const jittered = backoff / 2 + Math.random() * (backoff / 2);
      await sleep(Math.max(error.retryAfterMs ?? 0, jittered));
    }
  }
}

async function attemptOnce<S extends z.ZodMiniType>(
  options: ClientOptions,
  url: string,
  init: RequestInit,
  schema: S,
): Promise<z.output<S>> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${options.token}`);
  headers.set("Accept", "application/json");

  let response: Response;
  try {
    response = await fetchFn(url, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = (error as { name?: string }).name === "TimeoutError";
    const detail = timedOut
      ? `No response within ${timeoutMs} ms`
      : "The server could not be reached";
    throw new PatronClientError(localProblem(0, "network", "Network error", detail), {
      cause: error,
    });
  }

  const text = await response.text();
  if (!response.ok) {
    throw new PatronClientError(problemFrom(response, text), {
      retryAfterMs: parseRetryAfter(response.headers.get("Retry-After")),
    });
  }
  const body = safeJson(text);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const detail = "The server's answer does not match the API";
    throw new PatronClientError(
      localProblem(response.status, "invalid-response", "Invalid response", detail),
      {
        cause: parsed.error,
      },
    );
  }
  // The parsed JSON is returned rather than zod's copy: zod rebuilds records by assignment, which
  // would drop a custom field named `__proto__`.
  return body as z.output<S>;
}

function problemFrom(response: Response, text: string): Problem {
  const body = safeJson(text) as Partial<Problem> | undefined;
  if (body && typeof body === "object" && typeof body.title === "string") {
    return { ...body, status: response.status } as Problem;
  }
  return localProblem(
    response.status,
    "http",
    response.statusText || "HTTP error",
    text.slice(0, 200),
  );
}

function localProblem(status: number, type: string, title: string, detail: string): Problem {
  return { type: `https://patron.dev/problems/${type}`, title, status, detail };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `Retry-After` is either seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
