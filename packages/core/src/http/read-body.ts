import type { Context } from "hono";
import { PatronError } from "../errors.js";

/**
 * Reads a request body as text, refusing more than `maxBytes`. A body with a Content-Length is
 * checked before it is read and then read in one go, which lets Node's adapter skip building a
 * Web stream; only bodies without a length are streamed and counted.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  const declaredLength = c.req.header("Content-Length");
  if (declaredLength !== undefined && c.req.header("Transfer-Encoding") === undefined) {
    if (Number(declaredLength) > maxBytes) throw tooLarge(maxBytes);
    return c.req.text();
  }

  const body = c.req.raw.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(joined);
}

function tooLarge(maxBytes: number): PatronError {
  const limit =
    maxBytes % 1048576 === 0
      ? `${maxBytes / 1048576} MiB`
      : maxBytes % 1024 === 0
        ? `${maxBytes / 1024} KiB`
        : `${maxBytes} bytes`;
  return new PatronError("payload_too_large", { detail: `The body must be at most ${limit}` });
}
