/**
 * REST mount: /api/v1/openapi.json, /api/v1/* (trpc-to-openapi over the REST router), the test
 * job exports under /api/v1, and Swagger UI at /docs from the installed swagger-ui-dist (no CDN).
 */
import path from "node:path";
import { createRequire } from "node:module";
import express, { Router, type Request, type Response } from "express";
import { TRPCError } from "@trpc/server";
import { createOpenApiExpressMiddleware } from "trpc-to-openapi";
import { createHttpContext, resolveUser } from "../trpc/context.js";
import { exportFile } from "../services/testing/test-jobs.js";
import { EXPORT_TYPES } from "../services/testing/exports.js";
import { artifacts } from "../storage/artifacts.js";
import type { ExportFormat } from "../schemas/testing.js";
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

async function sendExport(req: Request, res: Response) {
  try {
    // As the REST procedures: the Authorization header only, never the session cookie.
    const auth = await resolveUser(req.headers.authorization, undefined);
    if (!auth.user) {
      res.status(401).json({ error: auth.authProblem ?? "Send an API key: Authorization: Bearer <key>" });
      return;
    }
    const id = Number(req.params.id);
    const format = req.params.format as ExportFormat;
    if (!Number.isInteger(id) || id <= 0 || !(format in EXPORT_TYPES)) {
      res.status(404).json({ error: "Not found" });
      return;
    }
    const file = await exportFile(auth.user.id, id, format);
    res.setHeader("Content-Type", EXPORT_TYPES[format]);
    res.setHeader("Content-Length", String(file.bytes));
    res.setHeader("Content-Disposition", `attachment; filename="${file.fileName}"`);
    res.setHeader("Cache-Control", "private, no-store");
    artifacts().stream(file.key).on("error", () => res.destroy()).pipe(res);
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") res.status(404).json({ error: "Not found" });
    else res.status(500).json({ error: "Could not read the export" });
  }
}

export function openApiRoutes(): Router {
  const r = Router();
  r.get("/api/v1/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });
  r.get("/api/v1/test-jobs/:id/result.:format", sendExport);
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
