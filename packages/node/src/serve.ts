import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { type CustomerStore, createApp, describeError, type PatronApp } from "@patron/core";
import type { Logger } from "pino";
import { createLogger, flushLogger, requestLogHooks } from "./logger.js";

/** Options for {@link serve}. */
export interface ServeOptions {
  store: CustomerStore;
  /** 8787 by default; 0 picks a free port (read it from {@link PatronServer.port}). */
  port?: number;
  /** 127.0.0.1 by default, so nothing outside this machine can connect unless you say so. */
  host?: string;
  /** Where request lines go; a buffered JSON logger on stdout by default. */
  logger?: Logger;
  /**
   * Signals that shut the server down gracefully and then end the process with exit code 0.
   * `["SIGTERM", "SIGINT"]` by default; `false` installs no handlers (tests, embedding).
   */
  shutdownSignals?: readonly NodeJS.Signals[] | false;
  /** How long a shutdown waits for in-flight requests before cutting connections; 10 s. */
  shutdownTimeoutMs?: number;
  /** Largest accepted request body in bytes (1 MiB by default). */
  maxBodyBytes?: number;
  /** Origins whose pages may call the API from a browser (CORS); none by default. */
  corsOrigins?: readonly string[] | "*";
  /**
   * Builds the handler to serve from Patron's app, for an integration that adds its own routes
   * (pages, a backend for its front end) beside the API. It receives the app with logging hooks
   * already wired; by default the app itself is served.
   */
  handler?: (
    patron: PatronApp,
    logger: Logger,
  ) => (request: Request) => Response | Promise<Response>;
}

/** A running server. */
export interface PatronServer {
  /** The base URL clients use, such as `http://127.0.0.1:8787`. */
  url: string;
  host: string;
  port: number;
  /** The underlying Node server. */
  server: Server;
  /**
   * Stops accepting connections, lets in-flight requests finish, then closes the store.
   * Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

const DEFAULT_PORT = 8787;
const DEFAULT_HOST = "127.0.0.1";
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Serves the Patron app on Node's HTTP server. Resolves once the server listens.
 *
 * @example
 * const server = await serve({ store: await openStore("patron.db"), port: 0 });
 * console.log(server.url);
 */
export async function serve(options: ServeOptions): Promise<PatronServer> {
  const logger = options.logger ?? createLogger();
  const app = createApp({
    store: options.store,
    maxBodyBytes: options.maxBodyBytes,
    corsOrigins: options.corsOrigins,
    ...requestLogHooks(logger),
  });
  const handler = options.handler?.(app, logger) ?? app.fetch;
  const listener = getRequestListener(handler, {
    errorHandler(error) {
      logger.error({ err: describeError(error) }, "adapter error");
      return new Response(null, { status: 500 });
    },
  });

  let shuttingDown = false;
  const server = createServer((request, response) => {
    // Once shutting down, each response closes its connection, so keep-alive clients let go.
    if (shuttingDown) response.setHeader("Connection", "close");
    // A request already running when the shutdown began answers with keep-alive; close its
    // connection as soon as it is idle instead of waiting for the keep-alive timeout.
    response.once("finish", () => {
      if (shuttingDown) setImmediate(() => server.closeIdleConnections());
    });
    void listener(request, response);
  });

  const host = options.host ?? DEFAULT_HOST;
  await listen(server, options.port ?? DEFAULT_PORT, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info({ url }, "listening");

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      await drain(server, options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
      await options.store.close();
      logger.info("stopped");
      flushLogger(logger);
    })();
    return closing;
  };

  if (options.shutdownSignals !== false) {
    exitOnSignals(options.shutdownSignals ?? ["SIGTERM", "SIGINT"], close, logger);
  }
  return { url, host, port, server, close };
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

/** On the first signal: shut down, then exit 0 (1 if shutting down failed). A second forces 1. */
function exitOnSignals(
  signals: readonly NodeJS.Signals[],
  close: () => Promise<void>,
  logger: Logger,
): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn({ signal }, "second signal, exiting now");
      flushLogger(logger);
      process.exit(1);
    }
    received = true;
    logger.info({ signal }, "shutting down");
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: describeError(error) }, "shutdown failed");
        flushLogger(logger);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
}
