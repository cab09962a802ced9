/** The web server (tRPC over HTTP + WebSocket, no Remix) on a free loopback port, for the realtime bench. */
import { startTestServer } from "../../server/testing/server.js";

const s = await startTestServer({ withRemix: false });
console.log(JSON.stringify({ url: s.url }));
process.on("SIGTERM", () => void s.close().then(() => process.exit(0)));
