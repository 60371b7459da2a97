import type { OutboxHandle, OutboxState } from "@patron/browser/client";

/** What the badge shows; `data-state` on the badge carries it for styles and tests. */
type ConnectionState = "online" | "offline" | "sending" | "retrying";

/**
 * Keeps a badge in step with the browser's connection and, when given, the outbox: offline with
 * the number of sign-ups waiting on this device, sending, or retrying after a failure.
 */
export function trackConnection(badge: HTMLElement, outbox?: OutboxHandle): void {
  let state: OutboxState | undefined;

  const render = () => {
    const pending = state?.pending ?? 0;
    const waiting = pending === 1 ? "1 pending" : `${pending} pending`;
    let shown: ConnectionState;
    let text: string;
    if (!navigator.onLine) {
      shown = "offline";
      text = pending > 0 ? `Offline · ${waiting}` : "Offline";
    } else if (pending > 0 && state?.lastError) {
      shown = "retrying";
      text = `Retrying · ${waiting}`;
    } else if (pending > 0) {
      shown = "sending";
      text = `Sending · ${waiting}`;
    } else {
      shown = "online";
      text = "Online";
    }
    badge.dataset.state = shown;
    badge.textContent = text;
    badge.title =
      shown === "offline"
        ? "No connection. Sign-ups are kept on this device and sent when it returns."
        : shown === "retrying"
          ? `Last attempt failed: ${state?.lastError?.problem.detail ?? "no answer"}`
          : "Connected to the store";
  };

  addEventListener("online", render);
  addEventListener("offline", render);
  if (outbox) {
    outbox.subscribe((_event, next) => {
      state = next;
      render();
    });
    void outbox.getState().then((first) => {
      state = first;
      render();
    });
  }
  render();
}
