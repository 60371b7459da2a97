/**
 * Publishes the committed state of the repository the way a maintainer does (CONTRIBUTING.md,
 * "Cutting a release"), from a fresh clone so the working tree is never touched.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cleanEnv, run } from "./processes.js";
import type { Registry } from "./registry.js";
import { step } from "./step.js";

export interface Release {
  /** The one version every `@patron/*` package was published at. */
  version: string;
  /** The names of the published packages. */
  packages: string[];
  /** The commit that was released. */
  commit: string;
}

const MINUTE = 60_000;

/**
 * Clones `repoRoot` at HEAD into `folder`, installs it with the committed lockfile, versions every
 * public package with `pnpm changeset version`, commits, and runs `pnpm release` against the
 * registry. Uncommitted changes in `repoRoot` are not part of the release, as in CI.
 */
export async function releaseToRegistry(
  repoRoot: string,
  folder: string,
  registry: Registry,
): Promise<Release> {
  const git = (args: string[], cwd = clone) => run("git", args, { cwd, timeoutMs: MINUTE });
  const clone = join(folder, "patron");
  const commit = (await git(["rev-parse", "HEAD"], repoRoot)).trim();

  await step(`clone ${commit.slice(0, 12)}`, async () => {
    await git(["clone", "--quiet", "--no-checkout", repoRoot, clone], folder);
    await git(["checkout", "--quiet", "-B", "main", commit]);
  });
  const folders = await publicPackages(clone);
  const packages = [...folders.keys()];
  const before = await versionsOf(folders);

  // A changeset of our own, so there is always something to version, even right after a release.
  await writeFile(
    join(clone, ".changeset", "release-test.md"),
    `---\n${packages.map((name) => `"${name}": patch`).join("\n")}\n---\n\nRelease test.\n`,
  );

  // Only `pnpm release` talks to the registry; installing still uses this machine's own settings.
  const pnpm = (args: string[], env = cleanEnv(), timeoutMs = 5 * MINUTE) =>
    run("pnpm", args, { cwd: clone, env, timeoutMs });
  await step("pnpm install --frozen-lockfile", () =>
    pnpm(["install", "--frozen-lockfile", "--prefer-offline"]),
  );
  await step("pnpm changeset version", () => pnpm(["changeset", "version"]));

  const after = await versionsOf(folders);
  const version = after[0]!;
  if (after.some((v) => v !== version) || before.includes(version)) {
    throw new Error(`changeset version gave ${after.join(", ")} (before: ${before.join(", ")})`);
  }
  await git(["add", "--all"]);
  // As CONTRIBUTING.md says: commit the versioned packages, then release.
  const author = ["-c", "user.name=Release test", "-c", "user.email=release-test@localhost"];
  await git([...author, "commit", "--quiet", "--message", `Release v${version}`]);

  // changeset publish honours publishConfig.registry over ours: refuse rather than publish there.
  for (const [name, manifestFolder] of folders) {
    const registryOverride = (await readManifest(manifestFolder))?.publishConfig?.registry;
    if (registryOverride) throw new Error(`${name} publishes to ${registryOverride}; not testing`);
  }
  const userconfig = join(folder, "publish.npmrc");
  await writeFile(userconfig, `registry=${registry.url}\n${registry.authLine}\n`);
  const publishEnv = cleanEnv({
    NPM_CONFIG_USERCONFIG: userconfig,
    npm_config_registry: registry.url,
  });
  await step(`pnpm release (v${version})`, () => pnpm(["release"], publishEnv, 8 * MINUTE));
  return { version, packages, commit };
}

/** The packages that are published (`packages/*` without `"private": true`) and their folders. */
async function publicPackages(root: string): Promise<Map<string, string>> {
  const folders = new Map<string, string>();
  const entries = await readdir(join(root, "packages"), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const folder = join(root, "packages", entry.name);
    const manifest = await readManifest(folder);
    if (manifest && !manifest.private) folders.set(manifest.name, folder);
  }
  return folders;
}

async function versionsOf(folders: Map<string, string>): Promise<string[]> {
  const manifests = await Promise.all([...folders.values()].map(readManifest));
  return manifests.map((manifest) => manifest?.version ?? "(no package.json)");
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  publishConfig?: { registry?: string };
}

async function readManifest(folder: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(folder, "package.json"), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}
