import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The `patron` CLI built from the current sources for this test run. */
    cliPath: string;
  }
}

const packageRoot = fileURLToPath(new URL(".", import.meta.url));

/**
 * Builds src/cli.ts once per test run into its own folder under node_modules/.cache, so the
 * tests that spawn `patron` run the current sources and never race a `build` writing dist/.
 */
export default async function buildCli(project: TestProject): Promise<() => Promise<void>> {
  const outDir = join(
    packageRoot,
    "node_modules",
    ".cache",
    `patron-test-${randomBytes(4).toString("hex")}`,
  );
  await build({
    entry: { cli: join(packageRoot, "src", "cli.ts") },
    outDir,
    format: ["esm"],
    platform: "node",
    target: "node20",
    dts: false,
    config: false,
    silent: true,
  });
  project.provide("cliPath", join(outDir, "cli.js"));
  return () => rm(outDir, { recursive: true, force: true });
}
