// The container's HEALTHCHECK: exit 0 when the web process answers GET /healthz on PORT
// (default 3000) within 4 s, 1 otherwise. Plain Node (no curl or wget in the slim image).
const port = process.env.PORT || "3000";
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
