/** The OpenAPI 3 document of /api/v1, generated from the REST router (trpc-to-openapi). */
import { z } from "zod";
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { restRouter } from "./router.js";
import { LOCALES } from "../i18n/locales.js";

const EXPORT_TYPES = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: z.object({ error: z.string() }) } },
});

/** The export files are plain downloads (not procedures): documented here, served by server/openapi/http.ts. */
function exportPaths(): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const [format, type] of Object.entries(EXPORT_TYPES)) {
    const file = {
      description: `The ${format.toUpperCase()} file`,
      content: { [type]: { schema: z.string().openapi({ format: "binary" }) } },
    };
    paths[`/test-jobs/{id}/result.${format}`] = {
      get: {
        operationId: `testJobs-export-${format}`,
        summary: `Download a finished test job's ${format.toUpperCase()} export`,
        tags: ["Test jobs"],
        security: [{ Authorization: [] }],
        requestParams: { path: z.object({ id: z.number().int().positive() }) },
        responses: {
          200: file,
          401: error("No or an invalid API key"),
          404: error("No such test job of the caller's, or its export is not ready"),
        },
      },
    };
    paths[`/early-life/tasks/{id}/result.${format}`] = {
      get: {
        operationId: `earlyLife-export-${format}`,
        summary:
          `Download a finished early-life task's ${format.toUpperCase()} export (per cell: group, cell, ` +
          "true and predicted cycle life, error, absolute % error" +
          (format === "xlsx" ? "; summary and model sheets, in the user's language or ?locale=)" : ")"),
        tags: ["Early-life prediction"],
        security: [{ Authorization: [] }],
        requestParams: {
          path: z.object({ id: z.number().int().positive() }),
          ...(format === "xlsx" ? { query: z.object({ locale: z.enum(LOCALES).optional() }) } : {}),
        },
        responses: {
          200: file,
          401: error("No or an invalid API key"),
          404: error("No such early-life task of the caller's"),
          409: error("The task has no result yet (not SUCCEEDED)"),
        },
      },
    };
  }
  return paths;
}

let cached: OpenAPIObject | null = null;

export function openApiDocument(): OpenAPIObject {
  cached ??= generateOpenApiDocument(restRouter, {
    title: "VoltLab API",
    version: "1.0.0",
    description:
      "Battery Lab and Energy Lab over REST. Authenticate every request with an API key: `Authorization: Bearer <key>` " +
      "(create one on the API keys page or with `npm run create-api-key`). Live progress is not REST: use the tRPC " +
      "subscription jobs.events over WebSocket, or poll GET /jobs/{id}.",
    openApiVersion: "3.1.0",
    baseUrl: "/api/v1",
    docsUrl: "/docs",
    securitySchemes: { Authorization: { type: "http", scheme: "bearer", description: "An API key (vl_…)" } },
    paths: exportPaths(),
  });
  return cached;
}
