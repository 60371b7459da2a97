/**
 * The benchmark's baseline: a bare `node:http` server that reads the body, parses it as JSON and
 * answers like Patron would, with nothing else (no validation, no storage, no logging). It prints
 * `{"url": …}` on stderr once it listens, as `patron serve --json` does, and stops on SIGTERM.
 */
import { createServer } from "node:http";

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const answer = JSON.stringify({ id: "000000000000000000000000", email: body.email });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(answer);
  });
});

server.listen(0, "127.0.0.1", () => {
  process.stderr.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
