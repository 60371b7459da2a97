import { launchChromium } from "@patron/test-support";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type Harness, startHarness } from "./harness.js";
import { type PatronServer, startPatronServer } from "./patron-server.js";

/** What a page test works with; `context` is new for every test. */
export interface PageFixture {
  server: PatronServer;
  harness: Harness;
  browser: Browser;
  /** A fresh context is a fresh profile: an empty outbox, no worker and no other tabs. */
  context: BrowserContext;
}

/**
 * Starts a real `patron serve`, the same-origin harness in front of it and Chromium once per test
 * file, opens a fresh browser context for each test, and stops it all afterwards.
 */
export function usePageFixture(): PageFixture {
  const fixture = {} as PageFixture;

  beforeAll(async () => {
    fixture.server = await startPatronServer();
    fixture.harness = await startHarness(fixture.server.origin);
    fixture.browser = await launchChromium();
  });

  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.harness?.close();
    await fixture.server?.close();
  });

  beforeEach(async () => {
    fixture.context = await fixture.browser.newContext();
    fixture.harness.upserts.length = 0;
  });

  afterEach(async () => {
    await fixture.context.close();
  });

  return fixture;
}
