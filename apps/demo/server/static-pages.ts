import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

/** Serves the Vite-built pages from a folder. */
export type StaticPages = (request: Request) => Promise<Response>;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
};

/** The pages by their public path; everything else is looked up as a file. */
const PAGES: Record<string, string> = {
  "/": "index.html",
  "/index.html": "index.html",
  "/admin": "admin/index.html",
  "/admin/": "admin/index.html",
};

/**
 * Only scripts and styles from this origin may run, so an injected `<script>` or inline handler
 * does nothing. That matters because the pages hold a visitor session.
 */
const PAGE_SECURITY = {
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
    "frame-ancestors 'none'; form-action 'self'",
  "Referrer-Policy": "no-referrer",
};

/**
 * Serves `root` (the output of `vite build`): the storefront at `/`, the admin at `/admin`, and
 * the hashed files under `/assets/` with a long cache lifetime.
 */
export function createStaticPages(root: string): StaticPages {
  const base = resolve(root);

  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, HEAD" } });
    }
    const { pathname } = new URL(request.url);
    const relative = PAGES[pathname] ?? decodeURIComponent(pathname).replace(/^\/+/, "");
    const file = resolve(base, relative);
    // A path that climbs out of the folder (`/../server.js`) is treated as missing.
    if (!file.startsWith(base + sep) || !(await isFile(file))) return notFound();

    const headers: Record<string, string> = {
      "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "X-Content-Type-Options": "nosniff",
      // Vite puts a content hash in every asset name, so an asset never changes under its name.
      "Cache-Control": relative.startsWith("assets/")
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    };
    if (file.endsWith(".html")) Object.assign(headers, PAGE_SECURITY);
    const body = request.method === "HEAD" ? null : await readFile(file);
    return new Response(body, { status: 200, headers });
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function notFound(): Response {
  const html =
    '<!doctype html><meta charset="utf-8"><title>Not found</title>' +
    '<p>Nothing here. Try the <a href="/">storefront</a> or the <a href="/admin">admin</a>.</p>';
  return new Response(html, {
    status: 404,
    headers: { "Content-Type": "text/html; charset=utf-8", ...PAGE_SECURITY },
  });
}
