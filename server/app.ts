import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { WebSocketServer } from "ws";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { appRouter, createCaller } from "./routers/root.js";
import { createHttpContext, createWsContext, wsCredential, resolveUser } from "./trpc/context.js";
import { originAllowed } from "./origin.js";
import { MAX_JSON_BODY_BYTES } from "./body-limit.js";
import { securityHeaders, noStore, nonceOf } from "./security-headers.js";
import { onCredentialsRevoked } from "./auth/revocations.js";
import { env } from "./env.js";
import { exportsRouter } from "./routes/exports.js";
import { openApiRoutes } from "./openapi/http.js";
import { healthRoutes } from "./routes/health.js";

export interface StartedServer {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

/** Loads the Remix server bundle written by `remix build`. */
async function loadRemixBuild(): Promise<ServerBuild> {
  const file = path.resolve("dist/remix/index.js");
  return (await import(pathToFileURL(file).href)) as ServerBuild;
}

export async function createServer(opts: { withRemix?: boolean } = {}) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env().TRUST_PROXY ? 1 : false);
  app.use(securityHeaders());
  app.use("/api", noStore);

  // Cross-site request forgery: a page on another origin (even another port of this host, which
  // is the same site, so the SameSite=Lax cookie goes along) may not call procedures.
  app.use("/api/trpc", (req, res, next) => {
    if (!originAllowed(req)) {
      res.status(403).json({ error: `Origin ${req.headers.origin} is not allowed (ALLOWED_ORIGINS)` });
      return;
    }
    // Sign-in procedures are never batched: one attempt per request.
    const procs = decodeURIComponent(req.path.replace(/^\//, "")).split(",");
    if (procs.length > 1 && procs.some((p) => p.startsWith("auth."))) {
      res.status(400).json({ error: "auth procedures cannot be batched; send one request per call" });
      return;
    }
    next();
  });

  app.use(
    "/api/trpc",
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) =>
        createHttpContext(
          req,
          (h) => res.append("Set-Cookie", h),
          (name, value) => res.setHeader(name, value),
        ),
      maxBodySize: MAX_JSON_BODY_BYTES,
    }),
  );

  // Test job exports (CSV/XLSX), authenticated like tRPC; before the Remix catch-all.
  app.use(exportsRouter);

  // Public REST API (/api/v1, OpenAPI document, Swagger UI at /docs); before the Remix catch-all.
  app.use(openApiRoutes());

  // Liveness (/healthz) and readiness (/readyz: database and store) probes.
  app.use(healthRoutes());

  if (opts.withRemix !== false) {
    const build = await loadRemixBuild();
    app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
    app.use(express.static("public", { maxAge: "1h" }));
    app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
    app.all(
      "*",
      createRequestHandler({
        build,
        mode: process.env.NODE_ENV === "development" ? "development" : "production",
        // Loaders get the caller and a server-side tRPC caller scoped to them.
        getLoadContext: async (req, res) => {
          const ctx = await createHttpContext(req, (h) => res.append("Set-Cookie", h));
          // Signed-in pages are never cached (a shared computer's back button, a proxy).
          if (ctx.user) res.setHeader("Cache-Control", "no-store");
          return { user: ctx.user?.toPublic() ?? null, trpc: createCaller(ctx), cspNonce: nonceOf(res) };
        },
      }),
    );
  }

  const server = http.createServer(app);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, info }) => {
      credentials.set(req, wsCredential(req, info.connectionParams));
      return createWsContext(req, info.connectionParams);
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
  });
  // Each socket's credential, to close the socket when it is revoked (open subscriptions included).
  const credentials = new WeakMap<http.IncomingMessage, ReturnType<typeof wsCredential>>();
  const socketRequest = new WeakMap<import("ws").WebSocket, http.IncomingMessage>();
  wss.on("connection", (ws, req) => socketRequest.set(ws, req));
  const stopWatching = onCredentialsRevoked(() => {
    for (const ws of wss.clients) {
      const req = socketRequest.get(ws);
      const cred = req && credentials.get(req);
      if (!cred || (!cred.authorization && !cred.cookie)) continue;
      void resolveUser(cred.authorization, cred.cookie).then(
        (auth) => {
          if (!auth.user) ws.close(4401, "credential revoked");
        },
        () => ws.close(1011, "credential check failed"),
      );
    }
  });
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/api/trpc")) {
      socket.destroy();
      return;
    }
    // Cross-site WebSocket hijacking: browsers always send Origin on an upgrade.
    if (!originAllowed(req)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nOrigin not allowed\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  return {
    app,
    async listen(port: number, host = "127.0.0.1"): Promise<StartedServer> {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const addr = server.address();
      const actual = typeof addr === "object" && addr ? addr.port : port;
      return {
        server,
        port: actual,
        async close() {
          stopWatching();
          wsHandler.broadcastReconnectNotification();
          for (const c of wss.clients) c.terminate();
          wss.close();
          server.closeAllConnections();
          await new Promise<void>((r) => server.close(() => r()));
        },
      };
    },
  };
}
