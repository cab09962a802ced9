/**
 * REST mount: /api/v1/openapi.json, /api/v1/* (trpc-to-openapi over the REST router), the test
 * job exports under /api/v1, and Swagger UI at /docs from the installed swagger-ui-dist (no CDN).
 */
import path from "node:path";
import { createRequire } from "node:module";
import express, { Router } from "express";
import { createOpenApiExpressMiddleware } from "trpc-to-openapi";
import { createHttpContext, resolveUser } from "../trpc/context.js";
import { MAX_JSON_BODY_BYTES, nestsDeeperThan } from "../body-limit.js";
import { describeIssues } from "../trpc/init.js";
import { exportDownload } from "../routes/exports.js";
import { restRouter } from "./router.js";
import { openApiDocument } from "./document.js";
import { earlyLifeDownload } from "./early-life-export.js";

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
  r.get("/api/v1/early-life/tasks/:id/result.:format", earlyLifeDownload);
  r.use("/api/v1", authenticateBeforeBody, parseJsonBody, refuseDeepNesting, bodyErrors, nameInvalidFields);
  r.use(
    "/api/v1",
    createOpenApiExpressMiddleware({
      router: restRouter,
      // The raw JSON body goes along so the procedure validates it exactly as tRPC would (no coercion).
      createContext: async ({ req, res }) => ({
        ...(await createHttpContext(req, (h) => res.append("Set-Cookie", h))),
        restBody: (req as { body?: unknown }).body,
      }),
      maxBodySize: MAX_JSON_BODY_BYTES,
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

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A JSON error sent before the body is read. The unread body is discarded as it comes (nothing is
 * buffered) for at most 2 s, so the client gets the answer instead of a reset; then the socket goes.
 */
function refuse(res: express.Response, status: number, code: string, message: string) {
  const req = res.req;
  res.status(status).json({ message, code });
  if (!req.complete) {
    const timer = setTimeout(() => req.socket.destroy(), 2000);
    req.on("end", () => clearTimeout(timer));
    req.on("close", () => clearTimeout(timer));
    req.resume();
  }
}

/** No key, no body: a request that may carry a body is authenticated (and its declared size checked) first. */
const authenticateBeforeBody: express.RequestHandler = (req, res, next) => {
  if (!WITH_BODY.has(req.method)) return next();
  resolveUser(req.headers.authorization, undefined).then((auth) => {
    if (!auth.user) {
      return refuse(
        res,
        401,
        "UNAUTHORIZED",
        auth.authProblem ? `Not signed in: ${auth.authProblem}` : "Send an API key: Authorization: Bearer <key>",
      );
    }
    const length = Number(req.headers["content-length"] ?? 0);
    if (length > MAX_JSON_BODY_BYTES) {
      return refuse(
        res,
        413,
        "PAYLOAD_TOO_LARGE",
        `The body is ${length} bytes; the limit is ${MAX_JSON_BODY_BYTES} (a 20 MB file, base64-encoded)`,
      );
    }
    next();
  }, next);
};

/** JSON bodies with any parameters (`application/json; charset=utf-8`), up to the limit. */
const parseJsonBody = express.json({
  limit: MAX_JSON_BODY_BYTES,
  strict: false,
  type: (req) => /^application\/json\s*(;|$)/i.test(String(req.headers["content-type"] ?? "")),
});

const refuseDeepNesting: express.RequestHandler = (req, res, next) => {
  if (nestsDeeperThan((req as { body?: unknown }).body))
    return refuse(res, 400, "BAD_REQUEST", "The JSON body nests too deeply (more than 64 levels)");
  next();
};

const bodyErrors: express.ErrorRequestHandler = (err: { type?: string; message?: string }, _req, res, next) => {
  if (err?.type === "entity.too.large")
    return refuse(res, 413, "PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_JSON_BODY_BYTES} bytes`);
  if (err?.type === "entity.parse.failed")
    return refuse(res, 400, "PARSE_ERROR", `The body is not valid JSON: ${err.message ?? ""}`.trim());
  if (err?.type) return refuse(res, 400, "BAD_REQUEST", err.message ?? "Bad request body");
  next(err);
};

/**
 * The adapter answers every invalid input with the message "Input validation failed"; say what
 * tRPC says instead ("Invalid input: epochs: Expected number, received string"), issues kept.
 */
const nameInvalidFields: express.RequestHandler = (_req, res, next) => {
  const end = res.end.bind(res) as (...a: unknown[]) => express.Response;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (res.statusCode === 400 && typeof chunk === "string" && chunk.includes('"Input validation failed"')) {
      try {
        const body = JSON.parse(chunk) as {
          message: string;
          issues?: { path: (string | number)[]; message: string }[];
        };
        if (body.message === "Input validation failed" && Array.isArray(body.issues) && body.issues.length) {
          chunk = JSON.stringify({ ...body, message: describeIssues(body.issues) });
          res.removeHeader("Content-Length");
        }
      } catch {
        // not JSON: leave it
      }
    }
    return end(chunk, ...rest);
  }) as typeof res.end;
  next();
};
