import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { type CustomerStore, createApp } from "@patron/core";
import { type createLogger, requestLogHooks } from "@patron/node";
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
  /** How long {@link DemoServer.close} waits for requests in flight; 10 s by default. */
  shutdownTimeoutMs?: number;
}

/** A running demo server. */
export interface DemoServer {
  /** Where the storefront is, such as `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** Stops accepting connections, lets requests in flight finish, then closes the store. */
  close(): Promise<void>;
}

/** Patron's own paths: the real API with its bearer auth, the health check and the API document. */
function isPatronPath(pathname: string): boolean {
  return pathname.startsWith("/v2.2/") || pathname === "/healthz" || pathname === "/openapi.json";
}

/**
 * One process, one origin, three parts: Patron's API at `/v2.2`, the backend-for-frontend the
 * pages use at `/demo-api`, and the pages themselves. Resolves once the server listens.
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const { logger } = options;
  const patron = createApp({ store: options.store, ...requestLogHooks(logger) });
  const backendForFrontend = createBackendForFrontend({
    patron: patron.fetch,
    storeId: options.storeId,
    storeToken: options.storeToken,
    sessions: createVisitorSessions(),
    onRefused: (call) => logger.info(call, "demo-api refused"),
  });
  const pages = createStaticPages(options.webRoot);

  const listener = getRequestListener(
    (request: Request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith(`${BFF_PREFIX}/`)) return backendForFrontend(request);
      if (isPatronPath(pathname)) return patron.fetch(request);
      return pages(request);
    },
    {
      errorHandler(error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, "error");
        return new Response(null, { status: 500 });
      },
    },
  );

  let shuttingDown = false;
  const server = createServer((request, response) => {
    // While shutting down, each answer closes its connection so keep-alive clients let go.
    if (shuttingDown) response.setHeader("Connection", "close");
    // An answer that was already under way when the shutdown began frees its connection at once.
    response.once("finish", () => {
      if (shuttingDown) setImmediate(() => server.closeIdleConnections());
    });
    void listener(request, response);
  });
  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  logger.info({ url }, "listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        await drain(server, options.shutdownTimeoutMs ?? 10_000);
        await options.store.close();
        logger.info("stopped");
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Resolves when every connection has ended, cutting the stragglers after `timeoutMs`. */
function drain(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
