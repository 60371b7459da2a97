/**
 * `@patron/browser` as a user gets it: installed with npm, bundled by Vite into a page, served
 * from 127.0.0.1 and driven in Chromium. The page upserts twice through the package's prebuilt
 * Service Worker, and twice through its offline-safe client against a real `patron serve` that
 * the page's server forwards `/v2.2/` to (same origin, so no CORS is involved).
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { launchChromium } from "@patron/test-support";
import { cleanEnv, run } from "./processes.js";

/** What the page found, written as JSON into `#result`. */
export interface PageResult {
  serviceWorker: {
    statuses: number[];
    bodies: { id: string; email: string; created: boolean }[];
    profile: { email: string; firstName: string; customFields: Record<string, unknown> };
  };
  server: { status: string; created?: boolean }[];
}

/**
 * Writes the page into `folder` (which holds `@patron/browser` and `vite` in `node_modules`) and
 * builds it. Resolves to the built folder.
 */
export async function buildPage(
  folder: string,
  seed: Record<string, unknown>,
  serverEmail: string,
): Promise<string> {
  await mkdir(join(folder, "public"), { recursive: true });
  // The README's way to ship the worker: copy the prebuilt script next to the pages.
  await copyFile(
    join(folder, "node_modules", "@patron", "browser", "dist", "patron-sw.js"),
    join(folder, "public", "patron-sw.js"),
  );
  await writeFile(join(folder, "index.html"), INDEX_HTML);
  await writeFile(join(folder, "main.js"), pageScript(seed, serverEmail));
  const vite = join(folder, "node_modules", ".bin", "vite");
  await run(vite, ["build", "--logLevel", "warn"], {
    cwd: folder,
    env: cleanEnv(),
    timeoutMs: 120_000,
  });
  return join(folder, "dist");
}

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Patron release test</title></head>
  <body>
    <pre id="result">running</pre>
    <script type="module" src="/main.js"></script>
  </body>
</html>
`;

function pageScript(seed: Record<string, unknown>, serverEmail: string): string {
  return `import { createBrowserClient, registerPatronServiceWorker } from "@patron/browser";

const seed = ${JSON.stringify(seed)};
const output = document.getElementById("result");

async function throughServiceWorker() {
  const local = await registerPatronServiceWorker({ scriptUrl: "/patron-sw.js" });
  const customers = local.baseUrl + "/v2.2/stores/" + local.storeId + "/customers";
  const headers = { Authorization: "Bearer " + local.token, "Content-Type": "application/json" };
  const statuses = [];
  const bodies = [];
  for (let i = 0; i < 2; i++) {
    const response = await fetch(customers, { method: "PUT", headers, body: JSON.stringify(seed) });
    statuses.push(response.status);
    bodies.push(await response.json());
  }
  const read = await fetch(customers + "?email=" + encodeURIComponent(seed.email), { headers });
  return { statuses, bodies, profile: await read.json() };
}

async function throughServer() {
  const query = new URLSearchParams(location.search);
  const client = await createBrowserClient({
    baseUrl: location.origin,
    storeId: query.get("storeId"),
    token: query.get("token"),
  });
  const outcomes = [];
  for (let i = 0; i < 2; i++) {
    const outcome = await client.upsertCustomer({ ...seed, email: ${JSON.stringify(serverEmail)} });
    outcomes.push({ status: outcome.status, created: outcome.result?.created });
  }
  return outcomes;
}

try {
  const result = { serviceWorker: await throughServiceWorker(), server: await throughServer() };
  output.textContent = JSON.stringify(result);
} catch (error) {
  output.textContent = "error: " + (error && error.stack ? error.stack : String(error));
}
output.dataset.done = "true";
`;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

/** Serves `root` on a free port of 127.0.0.1 and forwards `/v2.2/…` to `apiUrl`. */
export async function servePage(root: string, apiUrl: string): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const path = new URL(incoming.url ?? "/", "http://page").pathname;
    if (path.startsWith("/v2.2/")) {
      const target = new URL(incoming.url ?? "/", apiUrl);
      const forward = request(
        target,
        { method: incoming.method, headers: { ...incoming.headers, host: target.host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on("error", () => outgoing.writeHead(502).end());
      incoming.pipe(forward);
      return;
    }
    const file = join(root, normalize(path === "/" ? "/index.html" : path));
    readFile(file).then(
      (body) => {
        const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
        outgoing.writeHead(200, { "Content-Type": type }).end(body);
      },
      () => outgoing.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** The URL a server from {@link servePage} listens on. */
export function pageUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Opens the page in Chromium and returns what it wrote into `#result`. */
export async function runPage(url: string): Promise<PageResult> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    await page.goto(url);
    const result = page.locator("#result[data-done]");
    await result.waitFor({ timeout: 60_000 });
    const text = (await result.textContent()) ?? "";
    if (!text.startsWith("{")) throw new Error(`the page failed: ${text}\n${problems.join("\n")}`);
    return JSON.parse(text) as PageResult;
  } finally {
    await browser.close();
  }
}
