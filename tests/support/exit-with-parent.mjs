// Preloaded into servers the tests start: when the test runner goes away, however it ends, the
// stdin pipe it held closes and the server shuts down the way Ctrl+C would. Ten minutes is the cap.
process.stdin.on("end", () => process.kill(process.pid, "SIGTERM"));
process.stdin.resume();
setTimeout(() => process.kill(process.pid, "SIGTERM"), 10 * 60_000).unref();
