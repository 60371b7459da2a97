/**
 * A throwaway npm registry: Verdaccio on 127.0.0.1, storing in a temporary folder. `@patron/*`
 * lives only here; every other package comes through its uplink, the registry this machine's npm
 * already uses.
 */
import { writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runServer } from "verdaccio";

export interface Registry {
  /** With a trailing slash, as npm writes registry URLs: `http://127.0.0.1:PORT/`. */
  url: string;
  /** A publish token for the user the registry was started with. */
  token: string;
  /** The `.npmrc` line that hands {@link token} to npm and pnpm for this registry. */
  authLine: string;
  /** The registry's document for one package (its "packument"). */
  packument(name: string): Promise<Packument>;
  close(): Promise<void>;
}

export interface Packument {
  "dist-tags": Record<string, string>;
  versions: Record<string, { dependencies?: Record<string, string> }>;
}

/** Starts the registry on a free port of 127.0.0.1 with one user who may publish. */
export async function startRegistry(folder: string, uplink: string): Promise<Registry> {
  const configPath = join(folder, "config.yaml");
  await writeFile(configPath, configYaml(folder, uplink));
  const server: Server = await runServer(configPath);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;

  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  try {
    const token = await addUser(url, "release", "release-test-password");
    return {
      url,
      token,
      authLine: `//127.0.0.1:${port}/:_authToken=${token}`,
      packument: async (name) => {
        const response = await fetch(`${url}${name.replace("/", "%2f")}`);
        if (!response.ok) throw new Error(`${name}: the registry answered ${response.status}`);
        return (await response.json()) as Packument;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Creates a user the way `npm adduser` does and returns its token. */
async function addUser(url: string, name: string, password: string): Promise<string> {
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, password }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 201 || !body.token) {
    throw new Error(`Verdaccio refused the user: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

function configYaml(folder: string, uplink: string): string {
  // JSON strings are valid YAML scalars, which keeps odd characters in paths harmless.
  const quote = (value: string) => JSON.stringify(value);
  return `storage: ${quote(join(folder, "storage"))}
auth:
  htpasswd:
    file: ${quote(join(folder, "htpasswd"))}
    max_users: 1
    # A throwaway user: the cheapest bcrypt keeps every authenticated request quick.
    algorithm: bcrypt
    rounds: 4
uplinks:
  upstream:
    url: ${quote(uplink)}
    timeout: 60s
    max_fails: 5
packages:
  "@patron/*":
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  "**":
    access: $all
    publish: $authenticated
    proxy: upstream
web:
  enable: false
log:
  type: stdout
  format: pretty
  level: warn
max_body_size: 100mb
`;
}
