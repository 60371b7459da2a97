import { type ErrorCode, PatronError } from "@patron/core";
import { isSessionScope, type SessionScope, type VisitorSessions } from "./visitor-sessions.js";

/** Where the pages reach the API. Everything under it is answered by {@link BackendForFrontend}. */
export const BFF_PREFIX = "/demo-api";

/** A call the backend-for-frontend turned away itself, without asking Patron. */
export interface RefusedCall {
  method: string;
  /** The path with the store id replaced, so nothing identifying reaches a log. */
  route: string;
  status: number;
  reason: string;
}

/** Options for {@link createBackendForFrontend}. */
export interface BackendForFrontendOptions {
  /** Patron's HTTP app: the calls that pass are handed to it with the store token added. */
  patron: (request: Request) => Response | Promise<Response>;
  storeId: string;
  /** The store token. It is added to forwarded calls here and never sent to a browser. */
  storeToken: string;
  sessions: VisitorSessions;
  /** Called for each call refused here; Patron's own answers are logged by Patron's hooks. */
  onRefused?: (call: RefusedCall) => void;
}

/** The backend-for-frontend as a fetch handler: a Web `Request` in, a `Response` out. */
export type BackendForFrontend = (request: Request) => Promise<Response>;

/** The API calls each page may make: the sign-up form only writes, the admin only reads. */
const ALLOWED_CALLS: Record<SessionScope, readonly string[]> = {
  storefront: ["PUT /customers"],
  admin: ["GET /customers", "GET /custom-fields"],
};

/** Request headers passed on to Patron. Cookies and the caller's `Authorization` are not. */
const FORWARDED_HEADERS = ["accept", "content-type", "content-length", "x-request-id"];

/**
 * The same-origin API the demo's pages use. `POST /demo-api/session` gives a page a short-lived
 * visitor session; `/demo-api/v2.2/…` checks that session, checks that the page may make the
 * call, and forwards it to Patron with the store token in place of the session. The browser
 * never sees the store token.
 *
 * Limitation: any visitor gets a session for either page. A real integration issues the admin
 * session only after its own staff login, and rate-limits the storefront's.
 */
export function createBackendForFrontend(options: BackendForFrontendOptions): BackendForFrontend {
  const storePath = `/v2.2/stores/${options.storeId}`;

  const refuse = (request: Request, code: ErrorCode, detail: string): Response => {
    const path = new URL(request.url).pathname.replaceAll(options.storeId, ":storeId");
    const problem = new PatronError(code, { detail }).toProblem();
    options.onRefused?.({
      method: request.method,
      route: path,
      status: problem.status,
      reason: detail,
    });
    const headers: Record<string, string> = { "Content-Type": "application/problem+json" };
    if (problem.status === 401) headers["WWW-Authenticate"] = "Bearer";
    return new Response(JSON.stringify(problem), { status: problem.status, headers });
  };

  const issueSession = async (request: Request): Promise<Response> => {
    if (request.method !== "POST") return refuse(request, "method_not_allowed", "Use POST");
    // Requiring JSON makes a cross-site form unable to send this request without a preflight.
    if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) {
      return refuse(request, "unsupported_media_type", "Send the body as application/json");
    }
    const body = (await request.json().catch(() => null)) as { page?: unknown } | null;
    if (!isSessionScope(body?.page)) {
      return refuse(request, "validation_failed", 'Ask for page "storefront" or "admin"');
    }
    const session = options.sessions.issue(body.page);
    const answer = { ...session, storeId: options.storeId, apiBase: BFF_PREFIX };
    return Response.json(answer, { headers: { "Cache-Control": "no-store" } });
  };

  const forward = async (request: Request, apiPath: string): Promise<Response> => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.get("Authorization") ?? "")?.[1];
    const session = bearer ? options.sessions.verify(bearer) : null;
    if (!session) return refuse(request, "unauthorized", "Missing, invalid or expired session");

    const { pathname, search } = new URL(apiPath, "http://demo.invalid");
    if (!pathname.startsWith(`${storePath}/`)) return refuse(request, "not_found", "No such route");
    const call = `${request.method} ${pathname.slice(storePath.length)}`;
    if (!ALLOWED_CALLS[session.scope].includes(call)) {
      return refuse(request, "forbidden", `The ${session.scope} page may not make this call`);
    }

    const headers = new Headers({ Authorization: `Bearer ${options.storeToken}` });
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    const target = new URL(pathname + search, request.url);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    // The body streams through, so Patron's own size limit applies to it unchanged.
    const init: RequestInit & { duplex?: "half" } = { method: request.method, headers };
    if (hasBody) Object.assign(init, { body: request.body, duplex: "half" });
    return options.patron(new Request(target, init));
  };

  return async (request) => {
    const { pathname, search } = new URL(request.url);
    const rest = pathname.slice(BFF_PREFIX.length);
    if (rest === "/session") return issueSession(request);
    if (rest.startsWith("/v2.2/")) return forward(request, rest + search);
    return refuse(request, "not_found", "No such route");
  };
}
