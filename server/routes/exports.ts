/**
 * File downloads streamed from the artifact store:
 *   GET /api/exports/:testJobId/result.csv | result.xlsx — a test job's export files;
 *   GET /api/models/:versionId/model.onnx — a battery model version's ONNX file.
 * Authenticates as tRPC does (Bearer JWT or API key, else the session cookie: resolveUser);
 * no credentials is 401, another user's (or a missing) row or file is 404.
 */
import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import { TRPCError } from "@trpc/server";
import { resolveUser } from "../trpc/context.js";
import { exportFile } from "../services/testing/test-jobs.js";
import { EXPORT_TYPES } from "../services/testing/exports.js";
import { onnxFile } from "../services/training/versions.js";
import { artifacts } from "../storage/artifacts.js";
import type { ExportFormat } from "../schemas/testing.js";

interface StoredFile {
  key: string;
  bytes: number;
  fileName: string;
  type: string;
}

/**
 * A download handler: authenticates, asks `find` for the caller's file (null: 404), streams it.
 * `allowCookie`: browser routes accept the session cookie; REST accepts the Authorization header only.
 */
function fileDownload(
  opts: { allowCookie: boolean; unauthorized: string },
  find: (userId: number, req: Request) => Promise<StoredFile | null>,
) {
  return async (req: Request, res: Response) => {
    try {
      const auth = await resolveUser(req.headers.authorization, opts.allowCookie ? req.headers.cookie : undefined);
      if (!auth.user) {
        res.status(401).json({ error: auth.authProblem ?? opts.unauthorized });
        return;
      }
      const file = await find(auth.user.id, req);
      if (!file) {
        res.status(404).json({ error: "Not found" });
        return;
      }
      const body = await artifacts().stream(file.key); // opened before the headers: a store failure is still a clean 500
      res.setHeader("Content-Type", file.type);
      res.setHeader("Content-Length", String(file.bytes));
      res.setHeader("Content-Disposition", `attachment; filename="${file.fileName}"`);
      res.setHeader("Cache-Control", "private, no-store");
      // pipeline: a client that goes away mid-download closes the store's stream (an S3 socket) too.
      await pipeline(body, res).catch(() => res.destroy());
    } catch (e) {
      if (e instanceof TRPCError && e.code === "NOT_FOUND") {
        res.status(404).json({ error: "Not found" });
        return;
      }
      res.status(500).json({ error: "Could not read the file" });
    }
  };
}

const positiveId = (v: string | undefined) => (Number.isInteger(Number(v)) && Number(v) > 0 ? Number(v) : null);

/** The test-export download, shared by this router and the REST one under /api/v1. */
export function exportDownload(opts: { param: string; allowCookie: boolean; unauthorized: string }) {
  return fileDownload(opts, async (userId, req) => {
    const id = positiveId(req.params[opts.param]);
    const format = req.params.format as ExportFormat;
    if (!id || !(format in EXPORT_TYPES)) return null;
    const f = await exportFile(userId, id, format);
    return { key: f.key, bytes: f.bytes, fileName: f.fileName, type: EXPORT_TYPES[format] };
  });
}

export const exportsRouter = Router();

exportsRouter.get(
  "/api/exports/:testJobId/result.:format",
  exportDownload({ param: "testJobId", allowCookie: true, unauthorized: "Sign in or send an API key" }),
);

exportsRouter.get(
  "/api/models/:versionId/model.onnx",
  fileDownload({ allowCookie: true, unauthorized: "Sign in or send an API key" }, async (userId, req) => {
    const id = positiveId(req.params.versionId);
    return id ? { ...(await onnxFile(userId, id)), type: "application/octet-stream" } : null;
  }),
);
