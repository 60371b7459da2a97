/**
 * How a page reaches Patron in this demo, and the file to copy for your own integration. The
 * page asks its own backend for a short-lived visitor session and talks to Patron through that
 * backend's same-origin path. The store token stays on the server: a token in a page can be read
 * by any script on it and used for every call the API allows, including reading every customer.
 */
import {
  type BrowserClient,
  type BrowserClientOptions,
  createBrowserClient,
} from "@patron/browser/client";

/** Which page is asking: the backend allows the storefront to write and the admin to read. */
export type PageKind = "storefront" | "admin";

/** What the demo server's `POST /demo-api/session` answers. */
interface SessionGrant {
  /** A visitor session (`ses_…`), not a Patron token: only the demo's backend accepts it. */
  token: string;
  expiresAt: string;
  storeId: string;
  /** Where the backend-for-frontend forwards calls to Patron, such as `/demo-api`. */
  apiBase: string;
}

/** A page's client, and the store it addresses. */
export interface PatronConnection {
  client: BrowserClient;
  storeId: string;
}

/** Renew a session this long before it expires, so a request never leaves with a stale one. */
const RENEW_BEFORE_MS = 60_000;

async function requestSession(page: PageKind): Promise<SessionGrant> {
  const response = await fetch("/demo-api/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ page }),
  });
  if (!response.ok) throw new Error(`The demo server gave no session (HTTP ${response.status})`);
  return (await response.json()) as SessionGrant;
}

/**
 * Creates the page's `@patron/browser` client. Every request carries the current visitor
 * session; an expired or unknown session (the server restarted) is renewed and the request
 * sent once more, so upserts waiting in the outbox still arrive. While offline the renewal
 * fails like any network error, and the outbox keeps the upsert for later.
 *
 * @example
 * const { client } = await connectToPatron("storefront");
 * const outcome = await client.upsertCustomer({ email: "jane@example.com" });
 */
export async function connectToPatron(
  page: PageKind,
  options: Partial<BrowserClientOptions> = {},
): Promise<PatronConnection> {
  let session = await requestSession(page);
  let renewing: Promise<void> | undefined;
  const renew = () => {
    renewing ??= requestSession(page)
      .then((renewed) => {
        session = renewed;
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };

  const sessionFetch: typeof fetch = async (input, init) => {
    if (Date.parse(session.expiresAt) - Date.now() < RENEW_BEFORE_MS) await renew();
    const send = () => {
      const headers = new Headers(init?.headers);
      headers.set("Authorization", `Bearer ${session.token}`);
      return fetch(input, { ...init, headers });
    };
    const response = await send();
    if (response.status !== 401) return response;
    await renew();
    return send();
  };

  const client = await createBrowserClient({
    baseUrl: new URL(session.apiBase, location.origin).href,
    storeId: session.storeId,
    // The session of the moment; `sessionFetch` replaces it with a renewed one when needed.
    token: session.token,
    fetch: sessionFetch,
    ...options,
  });
  return { client, storeId: session.storeId };
}
