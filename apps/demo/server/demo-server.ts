import type { CustomerStore } from "@patron/core";
import { type createLogger, type PatronServer, serve } from "@patron/node";
import { BFF_PREFIX, createBackendForFrontend } from "./backend-for-frontend.js";
import { createStaticPages } from "./static-pages.js";
import { createVisitorSessions } from "./visitor-sessions.js";

/** The JSON-lines logger of `@patron/node`. */
export type Logger = ReturnType<typeof createLogger>;

/** Options for {@link startDemoServer}. */
export interface DemoServerOptions {
  store: CustomerStore;
  /** The demo store, and a token for it that stays on the server. */
  storeId: string;
  storeToken: string;
  /** The folder `vite build` wrote the pages to. */
  webRoot: string;
  logger: Logger;
  port: number;
  host: string;
}

/** Patron's own paths: the real API with its bearer auth, the health check and the API document. */
function isPatronPath(pathname: string): boolean {
  return pathname.startsWith("/v2.2/") || pathname === "/healthz" || pathname === "/openapi.json";
}

/**
 * One process, one origin, three parts: Patron's API at `/v2.2`, the backend-for-frontend the
 * pages use at `/demo-api`, and the pages themselves. `@patron/node`'s `serve()` does the rest:
 * request logs, and on SIGTERM or Ctrl+C a graceful stop that closes the store and exits 0.
 */
export function startDemoServer(options: DemoServerOptions): Promise<PatronServer> {
  return serve({
    store: options.store,
    port: options.port,
    host: options.host,
    logger: options.logger,
    handler: (patron, logger) => {
      const backendForFrontend = createBackendForFrontend({
        patron: patron.fetch,
        storeId: options.storeId,
        storeToken: options.storeToken,
        sessions: createVisitorSessions(),
        onRefused: (call) => logger.info(call, "demo-api refused"),
      });
      const pages = createStaticPages(options.webRoot);
      return (request) => {
        const { pathname } = new URL(request.url);
        if (pathname.startsWith(`${BFF_PREFIX}/`)) return backendForFrontend(request);
        if (isPatronPath(pathname)) return patron.fetch(request);
        return pages(request);
      };
    },
  });
}
