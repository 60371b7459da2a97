import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** A PUT that passed through the harness on its way to the Patron server. */
export interface RecordedUpsert {
  at: number;
  body: { email?: string; phoneNumber?: string; [key: string]: unknown };
  status: number;
  /** Whether the harness answered it itself (an injected fault) instead of the server. */
  injected: boolean;
}

/** An answer the harness gives in place of the server, like an overloaded proxy would. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
}

/** Pages, scripts and the API on one origin, so the browser sends no CORS preflights. */
export interface Harness {
  url: string;
  /** Every upsert that arrived at `/api`, in arrival order. */
  upserts: RecordedUpsert[];
  /** The next upserts get these answers, one each, instead of reaching the server. */
  injectFaults(...faults: Fault[]): void;
  close(): Promise<void>;
}

const PAGE = [
  '<!doctype html><meta charset="utf-8"><title>Patron</title>',
  '<script src="/page.js"></script>',
].join("");

/**
 * Serves the test page at `/`, its script at `/page.js`, the prebuilt worker at `/patron-sw.js`,
 * and forwards `/api/…` to a Patron server at `apiOrigin`.
 */
export async function startHarness(apiOrigin: string): Promise<Harness> {
  const scripts = {
    "/page.js": await bundle("../test/page.ts"),
    "/patron-sw.js": await bundle("../src/patron-sw.ts"),
  };
  const upserts: RecordedUpsert[] = [];
  const faults: Fault[] = [];

  const server = createServer((request, response) => {
    const path = request.url ?? "/";
    if (path === "/") return send(response, 200, "text/html", PAGE);
    const script = scripts[path as keyof typeof scripts];
    if (script) return send(response, 200, "text/javascript", script);
    if (path.startsWith("/api/")) {
      return void forward(request, response, apiOrigin, upserts, faults).catch((error) => {
        send(response, 502, "text/plain", String(error));
      });
    }
    send(response, 404, "text/plain", "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    upserts,
    injectFaults: (...added) => faults.push(...added),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function forward(
  request: IncomingMessage,
  response: ServerResponse,
  apiOrigin: string,
  upserts: RecordedUpsert[],
  faults: Fault[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const isUpsert = request.method === "PUT";

  const fault = isUpsert ? faults.shift() : undefined;
  if (fault) {
    upserts.push({
      at: Date.now(),
      body: JSON.parse(body.toString()),
      status: fault.status,
      injected: true,
    });
    response.writeHead(fault.status, { "Content-Type": "text/plain", ...fault.headers });
    return void response.end("injected by the test harness");
  }

  const headers = new Headers();
  for (const name of ["authorization", "content-type", "x-request-id", "accept"]) {
    const value = request.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  const answer = await fetch(apiOrigin + (request.url ?? "").slice("/api".length), {
    method: request.method,
    headers,
    body: isUpsert ? body : undefined,
  });
  const text = await answer.text();
  if (isUpsert) {
    upserts.push({
      at: Date.now(),
      body: JSON.parse(body.toString()),
      status: answer.status,
      injected: false,
    });
  }
  const passed: Record<string, string> = {};
  for (const name of ["content-type", "retry-after", "x-request-id"]) {
    const value = answer.headers.get(name);
    if (value) passed[name] = value;
  }
  response.writeHead(answer.status, passed);
  response.end(text);
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  response.end(body);
}

async function bundle(relativePath: string): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(relativePath, import.meta.url))],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
  });
  return result.outputFiles[0]!.text;
}
