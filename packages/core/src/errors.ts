/** Where each problem `type` URI lives; the docs site documents one page per code. */
const PROBLEM_BASE = "https://patron.dev/problems/";

/** One entry per error code: the HTTP status and the problem document's type and title. */
const ERROR_TABLE = {
  validation_failed: { status: 400, type: "validation", title: "Invalid request body" },
  invalid_json: { status: 400, type: "invalid-json", title: "Malformed JSON" },
  invalid_query: { status: 400, type: "validation", title: "Invalid query parameters" },
  unauthorized: { status: 401, type: "unauthorized", title: "Missing or invalid token" },
  forbidden: { status: 403, type: "forbidden", title: "Token not valid for this store" },
  not_found: { status: 404, type: "not-found", title: "Not found" },
  customer_not_found: { status: 404, type: "customer-not-found", title: "Customer not found" },
  method_not_allowed: { status: 405, type: "method-not-allowed", title: "Method not allowed" },
  payload_too_large: { status: 413, type: "payload-too-large", title: "Request body too large" },
  unsupported_media_type: {
    status: 415,
    type: "unsupported-media-type",
    title: "Unsupported content type",
  },
  field_type_conflict: {
    status: 422,
    type: "field-type-conflict",
    title: "Custom field type conflict",
  },
  declaration_limit: {
    status: 422,
    type: "declaration-limit",
    title: "Too many custom field declarations",
  },
  rate_limited: { status: 429, type: "rate-limited", title: "Too many requests" },
  internal: { status: 500, type: "internal", title: "Internal server error" },
  store_unavailable: { status: 503, type: "store-unavailable", title: "Store unavailable" },
  network: { status: 0, type: "network", title: "Network error" },
} as const satisfies Record<string, { status: number; type: string; title: string }>;

/** Every error code Patron uses. */
export type ErrorCode = keyof typeof ERROR_TABLE;

/** One problem inside a request, located by a dotted field path such as `location.latitude`. */
export interface FieldIssue {
  path: string;
  code: string;
  message: string;
  /** Extra facts some codes carry, such as the declared and received custom field types. */
  [extra: string]: unknown;
}

/** An RFC 9457 problem document as Patron writes it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

/** Options for {@link PatronError}. */
export interface PatronErrorOptions {
  detail?: string;
  errors?: FieldIssue[];
  cause?: unknown;
}

/**
 * The one error type of Patron. Its `code` decides the HTTP status and problem type through a
 * single table, so callers branch on the code and never on message text.
 */
export class PatronError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldIssue[] | undefined;

  constructor(code: ErrorCode, options: PatronErrorOptions = {}) {
    super(options.detail ?? ERROR_TABLE[code].title, { cause: options.cause });
    this.name = "PatronError";
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.errors = options.errors;
  }

  /** The problem document for this error; it never includes the cause. */
  toProblem(): Problem {
    const entry = ERROR_TABLE[this.code];
    const problem: Problem = {
      type: PROBLEM_BASE + entry.type,
      title: entry.title,
      status: entry.status,
      detail: this.message,
    };
    if (this.errors) problem.errors = this.errors;
    return problem;
  }
}

/**
 * Turns anything thrown into a {@link PatronError}. Unknown errors become `internal`, keeping the
 * original only as `cause` so no stack, SQL or token reaches a response.
 */
export function toPatronError(error: unknown): PatronError {
  if (error instanceof PatronError) return error;
  return new PatronError("internal", {
    detail: "The server could not handle this request.",
    cause: error,
  });
}

/**
 * What of an error belongs in a server log: its name, code, message and stack, following `cause`
 * a few levels down. Adapters log this from `onError`; request data is never part of it.
 */
export function describeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const described: Record<string, unknown> = {
    type: error.name,
    message: error.message,
    stack: error.stack,
  };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") described.code = code;
  if (error.cause !== undefined && depth < 3) {
    described.cause = describeError(error.cause, depth + 1);
  }
  return described;
}
