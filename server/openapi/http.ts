/**
 * REST mount: /api/v1/openapi.json, /api/v1/* (trpc-to-openapi over the REST router), the test
 * job exports under /api/v1, and Swagger UI at /docs from the installed swagger-ui-dist (no CDN).
 */
import path from "node:path";
import { createRequire } from "node:module";
import express, { Router } from "express";
import { createOpenApiExpressMiddleware } from "trpc-to-openapi";
import { createHttpContext } from "../trpc/context.js";
import { exportDownload } from "../routes/exports.js";
import { restRouter } from "./router.js";
import { openApiDocument } from "./document.js";

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>VoltLab API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: true });`;

export function openApiRoutes(): Router {
  const r = Router();
  r.get("/api/v1/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });
  // As the REST procedures: the Authorization header only, never the session cookie.
  r.get(
    "/api/v1/test-jobs/:id/result.:format",
    exportDownload({ param: "id", allowCookie: false, unauthorized: "Send an API key: Authorization: Bearer <key>" }),
  );
  r.use(
    "/api/v1",
    createOpenApiExpressMiddleware({
      router: restRouter,
      createContext: ({ req, res }) => createHttpContext(req, (h) => res.append("Set-Cookie", h)),
      maxBodySize: 64 * 1024 * 1024,
    }) as express.RequestHandler,
  );
  r.get("/docs", (_req, res) => {
    res.type("html").send(DOCS_HTML);
  });
  r.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(DOCS_INIT);
  });
  r.use("/docs/assets", express.static(swaggerDir, { maxAge: "1h", index: false }));
  return r;
}
