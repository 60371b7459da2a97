import { deleteDB } from "idb";
import { afterEach, expect, it } from "vitest";
import { Outbox, SENT_RESULTS_KEPT } from "./outbox.js";

const ANSWER = { id: "0123456789abcdef01234567", email: "a@example.com", created: true };
let name = "";
let outbox: Outbox;

async function openFresh(): Promise<Outbox> {
  name = `patron-outbox-test-${crypto.randomUUID()}`;
  outbox = await Outbox.open(name);
  return outbox;
}

afterEach(async () => {
  outbox.close();
  await deleteDB(name);
});

it("hands entries out oldest first and keeps them across reopening", async () => {
  await openFresh();
  const first = await outbox.add({ email: "one@example.com" });
  const second = await outbox.add({ email: "two@example.com" });
  expect(second.seq).toBeGreaterThan(first.seq);

  outbox.close();
  outbox = await Outbox.open(name);
  expect((await outbox.head())?.id).toBe(first.id);
  expect((await outbox.pending()).map((entry) => entry.id)).toEqual([first.id, second.id]);
});

it("keeps the latest sent results and forgets older ones", async () => {
  await openFresh();
  const ids: string[] = [];
  for (let i = 0; i < SENT_RESULTS_KEPT + 2; i++) {
    const entry = await outbox.add({ email: `p${i}@example.com` });
    await outbox.markSent(entry, ANSWER);
    ids.push(entry.id);
  }
  expect(await outbox.outcome(ids[0]!)).toEqual({ status: "unknown" });
  expect(await outbox.outcome(ids[1]!)).toEqual({ status: "unknown" });
  expect(await outbox.outcome(ids[2]!)).toMatchObject({
    status: "sent",
    entry: { result: ANSWER },
  });
  expect(await outbox.counts()).toEqual({ pending: 0, rejected: 0, lastError: null });
});

it("moves a rejected entry back to the end of the queue under the same id", async () => {
  await openFresh();
  const refused = await outbox.add({ email: "refused@example.com" });
  const waiting = await outbox.add({ email: "waiting@example.com" });
  const failure = {
    status: 401,
    problem: { type: "t", title: "Unauthorized", status: 401 },
    at: "",
  };
  await outbox.markRejected(refused, failure);
  expect(await outbox.outcome(refused.id)).toMatchObject({
    status: "rejected",
    entry: { error: failure },
  });

  const requeued = await outbox.requeue(refused.id);
  expect(requeued).toMatchObject({ id: refused.id, attempts: 0 });
  expect((await outbox.pending()).map((entry) => entry.id)).toEqual([waiting.id, refused.id]);
  expect(await outbox.rejected()).toEqual([]);
  expect(await outbox.requeue("no-such-entry")).toBeUndefined();
});

it("clears the named rejected entries, or all of them", async () => {
  await openFresh();
  const failure = { status: 400, problem: { type: "t", title: "Bad", status: 400 }, at: "" };
  const entries = [];
  for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
    entries.push(await outbox.markRejected(await outbox.add({ email }), failure));
  }
  expect(await outbox.clearRejected([entries[1]!.id])).toEqual([entries[1]!.id]);
  expect((await outbox.rejected()).map((entry) => entry.id)).toEqual([
    entries[0]!.id,
    entries[2]!.id,
  ]);
  expect((await outbox.clearRejected()).sort()).toEqual([entries[0]!.id, entries[2]!.id].sort());
  expect(await outbox.counts()).toMatchObject({ rejected: 0 });
});
