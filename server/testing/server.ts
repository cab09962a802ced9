/** Starts the real web server (Express + Remix + tRPC + WebSocket) on a free port for a test. */
import { createServer, type StartedServer } from "../app.js";
import { db } from "../../db/db.js";

export async function startTestServer(opts: { withRemix?: boolean } = {}): Promise<StartedServer & { url: string }> {
  db();
  const { listen } = await createServer(opts);
  const s = await listen(0, "127.0.0.1");
  return { ...s, url: `http://127.0.0.1:${s.port}` };
}
