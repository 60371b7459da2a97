import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** Chromium from Debian; Playwright cannot download its own browser on every machine. */
export const CHROMIUM_PATH = process.env.PATRON_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Headless, and without the background services (updates, sync, safe browsing) whose network
 * calls fail, slowly and in bulk, on a machine without internet access.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launches Chromium for tests that drive pages themselves. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A file to preload (`node --import`) into servers a test spawns with a stdin pipe: when the test
 * runner goes away, however it ends, the pipe closes and the server stops as on Ctrl+C.
 */
export const EXIT_WITH_PARENT = fileURLToPath(new URL("./exit-with-parent.mjs", import.meta.url));
