import { type AppOptions, describeError } from "@patron/core";
/** Writes one log record as one JSON line. */
export type Logger = (level: "info" | "warn" | "error", msg: string, fields?: object) => void;

/**
 * A logger that writes JSON lines (`{"time","level","msg",…}`) through `write`, which is
 * `console.log` unless given; tests pass their own to collect the lines.
 */
export function createLogger(write: (line: string) => void = console.log): Logger {
  return (level, msg, fields) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
  };
}

/**
 * The createApp hooks that turn requests into log lines. A request line holds its id, method,
 * route pattern, status and duration only: the pattern (`/v2.2/stores/:storeId/customers`), never
 * the URL, so no email from a query string, no token and no body reaches a log.
 */
export function requestLogHooks(log: Logger): Pick<AppOptions, "onResponse" | "onError"> {
  return {
    onResponse(event) {
      log("info", "request", {
        requestId: event.requestId,
        method: event.method,
        route: event.route,
        status: event.status,
        durationMs: event.durationMs,
      });
    },
    onError(error, context) {
      log("error", "request failed", {
        requestId: context.requestId,
        method: context.method,
        err: describeError(error),
      });
    },
  };
}
