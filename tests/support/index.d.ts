import type { Browser } from "playwright-core";

/** Chromium from Debian; Playwright cannot download its own browser on every machine. */
export declare const CHROMIUM_PATH: string;
/** The flags every Patron test launches Chromium with. */
export declare const CHROMIUM_ARGS: string[];
/** Launches Chromium for tests that drive pages themselves. */
export declare function launchChromium(): Promise<Browser>;
/** A file to preload into spawned servers so they stop when the test runner goes away. */
export declare const EXIT_WITH_PARENT: string;
