/**
 * The storefront page: the loyalty club sign-up. It sends each sign-up through the browser
 * client's outbox, so a sign-up made offline waits on this device and is sent when the
 * connection returns, and it shows what became of every sign-up made here.
 */
import "./styles.css";
import type { BrowserClient, OutboxEvent, UpsertOutcome } from "@patron/browser/client";
import type { FieldIssue, UpsertRequestInput } from "@patron/core";
import { trackConnection } from "./connection-status.js";
import { byId, h } from "./dom.js";
import { connectToPatron } from "./patron-connection.js";
import { clearFieldErrors, FormProblem, readSignup, showFieldErrors } from "./signup-form.js";

/** What became of a sign-up, as the list and the status message show it. */
type SignupStatus = "pending" | "created" | "updated" | "rejected";

const STATUS_LABELS: Record<SignupStatus, string> = {
  pending: "Pending",
  created: "Created",
  updated: "Updated",
  rejected: "Not saved",
};

const form = byId<HTMLFormElement>("signup");
const formStatus = byId("form-status");
const submitButton = byId<HTMLButtonElement>("submit");
const signupList = byId<HTMLOListElement>("signups");

/** The sign-up the status message is about; its later outcome replaces the message. */
let watchedEntryId: string | undefined;

function firstName(body: UpsertRequestInput): string {
  return typeof body.firstName === "string" && body.firstName ? body.firstName : "friend";
}

/** Shows the outcome of one sign-up above the button. */
function showStatus(outcome: SignupStatus | "error", title: string, text: string): void {
  formStatus.dataset.outcome = outcome;
  formStatus.replaceChildren(h("strong", {}, title), " ", text);
  formStatus.hidden = false;
}

function showSent(created: boolean, body: UpsertRequestInput): void {
  if (created) {
    showStatus("created", "Created.", `Welcome to the club, ${firstName(body)}!`);
  } else {
    showStatus("updated", "Updated.", `Welcome back, ${firstName(body)}. Your details are saved.`);
  }
}

function showRefusal(issues: readonly FieldIssue[], detail: string | undefined): void {
  const unplaced = showFieldErrors(form, issues);
  const extra = unplaced.map((issue) => issue.message).join(" ");
  const text = issues.length > unplaced.length ? "Please check the highlighted fields." : "";
  showStatus("error", "Not saved.", [text, extra || (text ? "" : detail)].join(" ").trim());
}

/** Adds or updates the row of one sign-up in "Your sign-ups on this device". */
function setRow(entryId: string, email: string | undefined, status: SignupStatus, note = ""): void {
  let row = signupList.querySelector<HTMLLIElement>(`li[data-entry-id="${entryId}"]`);
  if (!row) {
    row = h("li", { "data-entry-id": entryId });
    signupList.prepend(row);
  }
  row.dataset.status = status;
  const shownEmail = email ?? row.querySelector(".signup-email")?.textContent ?? "";
  row.replaceChildren(
    h("span", { class: "signup-email" }, shownEmail),
    h("span", { class: "pill", "data-status": status }, STATUS_LABELS[status]),
  );
  if (note) row.append(h("span", { class: "signup-note" }, note));
  byId("signups-empty").hidden = signupList.children.length > 0;
}

function removeRows(entryIds: readonly string[]): void {
  for (const id of entryIds) signupList.querySelector(`li[data-entry-id="${id}"]`)?.remove();
  byId("signups-empty").hidden = signupList.children.length > 0;
}

/** Keeps the list and the status message in step with the outbox, in this tab and others. */
function onOutboxEvent(event: OutboxEvent): void {
  switch (event.type) {
    case "queued":
      setRow(event.entry.id, event.entry.body.email, "pending");
      break;
    case "sent": {
      const { created } = event.entry.result;
      setRow(event.entry.id, event.entry.result.email, created ? "created" : "updated");
      if (event.entry.id === watchedEntryId) showSent(created, event.body);
      break;
    }
    case "rejected": {
      const { problem } = event.entry.error;
      setRow(event.entry.id, event.entry.body.email, "rejected", problem.detail ?? problem.title);
      if (event.entry.id === watchedEntryId) showRefusal(problem.errors ?? [], problem.detail);
      break;
    }
    case "cleared":
      removeRows(event.ids);
      break;
    case "failed":
      break;
  }
}

async function handleOutcome(
  client: BrowserClient,
  outcome: UpsertOutcome,
  body: UpsertRequestInput,
) {
  watchedEntryId = outcome.entryId;
  if (outcome.status === "sent") return showSent(outcome.result.created, body);
  if (outcome.status === "queued") {
    const text = navigator.onLine
      ? "The store did not answer. Your sign-up is saved on this device and will be retried."
      : "You are offline. Your sign-up is saved on this device and will be sent when you are " +
        "back online.";
    return showStatus("pending", "Pending.", text);
  }
  showRefusal(outcome.error.problem.errors ?? [], outcome.error.problem.detail);
  // The form now shows the problem, and the corrected sign-up will be a new entry.
  await client.outbox.clearRejected([outcome.entryId]);
}

async function start(): Promise<void> {
  const { client } = await connectToPatron("storefront");
  trackConnection(byId("connection"), client.outbox);
  client.outbox.subscribe(onOutboxEvent);
  // Sign-ups still waiting from an earlier visit are shown, and change when they are sent.
  for (const entry of await client.outbox.pending()) setRow(entry.id, entry.body.email, "pending");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    let body: UpsertRequestInput;
    try {
      body = readSignup(form);
    } catch (error) {
      if (!(error instanceof FormProblem)) throw error;
      return showRefusal(error.issues, undefined);
    }

    submitButton.disabled = true;
    submitButton.textContent = "Saving…";
    try {
      await handleOutcome(client, await client.upsertCustomer(body), body);
    } catch (error) {
      showStatus("error", "Not saved.", error instanceof Error ? error.message : String(error));
    } finally {
      submitButton.disabled = false;
      submitButton.textContent = "Join the club";
    }
  });
  submitButton.disabled = false;
  document.body.dataset.ready = "true";
}

start().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  showStatus("error", "The store is unavailable.", `${reason}. Reload the page to try again.`);
});
