import { type AppOptions, describeError } from "@patron/core";
import { type DestinationStream, type Logger, pino } from "pino";

/**
 * The server's logger: JSON lines on stdout. Lines are buffered and written in the background
 * so logging never waits on the terminal or a pipe; {@link flushLogger} writes out the rest.
 */
export function createLogger(destination?: DestinationStream): Logger {
  return pino(
    { base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}

/** Writes out whatever the logger still buffers; call it before the process exits. */
export function flushLogger(logger: Logger): void {
  try {
    logger.flush();
  } catch {
    // A destination that cannot flush (already closed, or not a sonic-boom) has nothing to lose.
  }
}

/**
 * The createApp hooks that turn requests into log lines. A request line holds its id, method,
 * route pattern, status and duration only: the pattern (`/v2.2/stores/:storeId/customers`) and
 * never the URL, so no email from a query string, no token and no body reaches a log.
 */
export function requestLogHooks(logger: Logger): Pick<AppOptions, "onResponse" | "onError"> {
  return {
    onResponse(event) {
      logger.info(
        {
          requestId: event.requestId,
          method: event.method,
          route: event.route,
          status: event.status,
          durationMs: event.durationMs,
        },
        "request",
      );
    },
    onError(error, context) {
      logger.error(
        { requestId: context.requestId, method: context.method, err: describeError(error) },
        "request failed",
      );
    },
  };
}
