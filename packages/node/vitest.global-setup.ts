import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Builds dist/ with tsup so tests that spawn `node dist/cli.js` run the current sources. */
export default function buildOnce(): void {
  const packageRoot = fileURLToPath(new URL(".", import.meta.url));
  const tsup = fileURLToPath(new URL("./node_modules/.bin/tsup", import.meta.url));
  execFileSync(tsup, ["--silent"], { cwd: packageRoot, stdio: ["ignore", "ignore", "inherit"] });
}
