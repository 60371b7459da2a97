import { expect, it } from "vitest";
import { createVisitorSessions } from "./visitor-sessions.js";

it("accepts the sessions it issued, with their scope", () => {
  const sessions = createVisitorSessions();
  const { token, expiresAt } = sessions.issue("storefront");

  expect(token).toMatch(/^ses_[\w-]+\.[\w-]+$/);
  expect(sessions.verify(token)).toEqual({
    scope: "storefront",
    expiresAt: Date.parse(expiresAt),
  });
  expect(sessions.verify(sessions.issue("admin").token)?.scope).toBe("admin");
});

it("refuses a session whose payload was changed to another scope", () => {
  const sessions = createVisitorSessions();
  const [payload, signature] = sessions.issue("storefront").token.slice(4).split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
  const promoted = Buffer.from(JSON.stringify({ ...claims, scope: "admin" })).toString("base64url");

  expect(sessions.verify(`ses_${promoted}.${signature}`)).toBeNull();
});

it("refuses sessions from another server, expired ones and malformed strings", () => {
  let now = 1_000_000;
  const sessions = createVisitorSessions({ ttlMs: 60_000, now: () => now });
  const { token } = sessions.issue("admin");

  expect(createVisitorSessions().verify(token)).toBeNull();
  for (const malformed of ["", "ses_", "ses_a.b.c", "pat_abc", `${token}x`, "ses_%%.%%"]) {
    expect(sessions.verify(malformed)).toBeNull();
  }
  now += 59_999;
  expect(sessions.verify(token)).not.toBeNull();
  now += 1;
  expect(sessions.verify(token)).toBeNull();
});
