/**
 * GET /api/exports/:testJobId/result.csv | result.xlsx — a test job's export files.
 * Authenticates as tRPC does (Bearer JWT or API key, else the session cookie: resolveUser);
 * no credentials is 401, another user's (or a missing) test job or file is 404.
 */
import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import { TRPCError } from "@trpc/server";
import { resolveUser } from "../trpc/context.js";
import { exportFile } from "../services/testing/test-jobs.js";
import { EXPORT_TYPES } from "../services/testing/exports.js";
import { artifacts } from "../storage/artifacts.js";
import type { ExportFormat } from "../schemas/testing.js";

/**
 * The download handler, shared by this route and the REST one under /api/v1. `allowCookie`:
 * the browser route accepts the session cookie; REST accepts the Authorization header only.
 */
export function exportDownload(opts: { param: string; allowCookie: boolean; unauthorized: string }) {
  return async (req: Request, res: Response) => {
    try {
      const auth = await resolveUser(req.headers.authorization, opts.allowCookie ? req.headers.cookie : undefined);
      if (!auth.user) {
        res.status(401).json({ error: auth.authProblem ?? opts.unauthorized });
        return;
      }
      const id = Number(req.params[opts.param]);
      const format = req.params.format as ExportFormat;
      if (!Number.isInteger(id) || id <= 0 || !(format in EXPORT_TYPES)) {
        res.status(404).json({ error: "Not found" });
        return;
      }
      const file = await exportFile(auth.user.id, id, format);
      const body = await artifacts().stream(file.key); // opened before the headers: a store failure is still a clean 500
      res.setHeader("Content-Type", EXPORT_TYPES[format]);
      res.setHeader("Content-Length", String(file.bytes));
      res.setHeader("Content-Disposition", `attachment; filename="${file.fileName}"`);
      res.setHeader("Cache-Control", "private, no-store");
      // pipeline: a client that goes away mid-download closes the store's stream (an S3 socket) too.
      await pipeline(body, res).catch(() => res.destroy());
      return;
    } catch (e) {
      if (e instanceof TRPCError && e.code === "NOT_FOUND") {
        res.status(404).json({ error: "Not found" });
        return;
      }
      res.status(500).json({ error: "Could not read the export" });
    }
  };
}

export const exportsRouter = Router();

exportsRouter.get(
  "/api/exports/:testJobId/result.:format",
  exportDownload({ param: "testJobId", allowCookie: true, unauthorized: "Sign in or send an API key" }),
);
