import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Where tests put screenshots for people to look at; gitignored, kept by CI as artifacts. */
export const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));

/** The path of an artifact, creating the folder on first use. */
export async function artifactPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return `${ARTIFACTS}${name}`;
}
