import { type CustomerStore, createApp, describeError } from "@patron/core";
import { createLogger, type Logger, requestLogHooks } from "./logger.ts";

/** Options for {@link serve}. */
export interface ServeOptions {
  store: CustomerStore;
  /** 8787 by default; 0 picks a free port (read it from {@link PatronServer.port}). */
  port?: number;
  /** 127.0.0.1 by default, so nothing outside this machine can connect unless you say so. */
  host?: string;
  /** Where JSON log lines go; stdout by default. */
  logger?: Logger;
  /**
   * Signals that shut the server down gracefully. `["SIGINT", "SIGTERM"]` by default (SIGBREAK
   * instead of SIGTERM on Windows); `false` installs no listeners (tests, embedding).
   */
  shutdownSignals?: readonly Deno.Signal[] | false;
  /** Largest accepted request body in bytes (1 MiB by default). */
  maxBodyBytes?: number;
}

/** A running server. */
export interface PatronServer {
  /** The base URL clients use, such as `http://127.0.0.1:8787`. */
  url: string;
  host: string;
  port: number;
  /** The underlying `Deno.serve` server. */
  server: Deno.HttpServer<Deno.NetAddr>;
  /**
   * Stops accepting connections, lets in-flight requests finish, then closes the store.
   * Calling it again returns the same promise.
   */
  close(): Promise<void>;
  /** Settles once the server has shut down and the store is closed, however that came about. */
  finished: Promise<void>;
}

const DEFAULT_PORT = 8787;
const DEFAULT_HOST = "127.0.0.1";
// Windows delivers only Ctrl-C and Ctrl-Break; asking for SIGTERM there throws.
const DEFAULT_SIGNALS: readonly Deno.Signal[] =
  Deno.build.os === "windows" ? ["SIGINT", "SIGBREAK"] : ["SIGINT", "SIGTERM"];

/**
 * Serves the Patron app on `Deno.serve`. Resolves once the server listens. On a shutdown signal
 * it drains in-flight requests, closes the store and removes its listeners, so the process ends
 * by itself; a second signal exits at once with code 1.
 *
 * @example
 * const server = await serve({ store: await openKvStore("./patron.kv"), port: 0 });
 * console.log(server.url);
 */
export async function serve(options: ServeOptions): Promise<PatronServer> {
  const log = options.logger ?? createLogger();
  const app = createApp({
    store: options.store,
    maxBodyBytes: options.maxBodyBytes,
    ...requestLogHooks(log),
  });

  const host = options.host ?? DEFAULT_HOST;
  const listening = Promise.withResolvers<void>();
  const server = Deno.serve(
    {
      hostname: host,
      port: options.port ?? DEFAULT_PORT,
      onListen: () => listening.resolve(),
      // The app answers its own errors; this only runs if the adapter itself fails.
      onError: (error) => {
        log("error", "adapter error", { err: describeError(error) });
        return new Response(null, { status: 500 });
      },
    },
    (request) => app.fetch(request),
  );
  await listening.promise;
  const { port } = server.addr;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log("info", "listening", { url });

  const signals =
    options.shutdownSignals === false ? [] : (options.shutdownSignals ?? DEFAULT_SIGNALS);
  let closing: Promise<void> | undefined;
  const onSignal = (signal: Deno.Signal) => () => {
    if (closing) {
      log("warn", "second signal, exiting now", { signal });
      Deno.exit(1);
    }
    log("info", "shutting down", { signal });
    close().catch((error: unknown) => {
      log("error", "shutdown failed", { err: describeError(error) });
      Deno.exit(1);
    });
  };
  const listeners = signals.map((signal) => [signal, onSignal(signal)] as const);
  for (const [signal, listener] of listeners) Deno.addSignalListener(signal, listener);

  const close = (): Promise<void> => {
    closing ??= (async () => {
      await server.shutdown();
      await options.store.close();
      // Removed last, so a second signal while requests drain still exits at once.
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
      log("info", "stopped");
    })();
    return closing;
  };

  const finished = server.finished.then(() => closing ?? close());
  return { url, host, port, server, close, finished };
}
