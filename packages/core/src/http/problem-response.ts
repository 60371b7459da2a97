import { PatronError, toPatronError } from "../errors.js";

/** The media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Serializes any thrown value as a problem response; internals never reach the body. */
export function problemResponse(error: unknown, headers?: HeadersInit): Response {
  const patronError = toPatronError(error);
  const problem = patronError.toProblem();
  const responseHeaders = new Headers(headers);
  responseHeaders.set("Content-Type", PROBLEM_CONTENT_TYPE);
  if (patronError.code === "unauthorized") responseHeaders.set("WWW-Authenticate", "Bearer");
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: responseHeaders,
  });
}

/** Whether an error is the server's fault, so the app reports it through `onError`. */
export function isServerError(error: unknown): boolean {
  return !(error instanceof PatronError) || error.status >= 500;
}
