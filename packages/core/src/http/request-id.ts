/** What a caller's `X-Request-Id` may look like to be echoed back; anything else is replaced. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,200}$/;

/** The caller's request id when it is sane, else a fresh UUID. */
export function requestIdFor(header: string | undefined): string {
  return header && ACCEPTABLE_REQUEST_ID.test(header) ? header : crypto.randomUUID();
}
