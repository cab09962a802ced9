/**
 * GET /api/v1/early-life/tasks/{id}/result.{csv|xlsx}: a finished early-life task's per-cell
 * predictions as a plain download (the file earlyLife.export makes; XLSX in the user's language or
 * ?locale=). As every REST operation: the Authorization header only, 401 without a key, 404 for
 * another user's (or a missing) task, 409 while the task has no result yet.
 */
import type { RequestHandler } from "express";
import { TRPCError } from "@trpc/server";
import { resolveUser } from "../trpc/context.js";
import { exportEarlyLifeTask } from "../services/early-life/tasks.js";
import { exportLocale } from "../i18n/locales.js";

export const earlyLifeDownload: RequestHandler = async (req, res) => {
  try {
    const auth = await resolveUser(req.headers.authorization, undefined);
    if (!auth.user) {
      res.status(401).json({ error: auth.authProblem ?? "Send an API key: Authorization: Bearer <key>" });
      return;
    }
    const id = Number(req.params.id);
    const format = req.params.format;
    if (!Number.isSafeInteger(id) || id <= 0 || (format !== "csv" && format !== "xlsx")) {
      res.status(404).json({ error: "Not found" });
      return;
    }
    const asked = typeof req.query.locale === "string" ? req.query.locale : undefined;
    const f = await exportEarlyLifeTask(auth.user.id, id, format, exportLocale(auth.user, asked));
    const body = Buffer.from(f.contentBase64, "base64");
    res.setHeader("Content-Type", f.mime);
    res.setHeader("Content-Length", String(body.length));
    res.setHeader("Content-Disposition", `attachment; filename="${f.fileName}"`);
    res.setHeader("Cache-Control", "private, no-store");
    res.end(body);
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") {
      res.status(404).json({ error: "Not found" });
      return;
    }
    if (e instanceof TRPCError && e.code === "PRECONDITION_FAILED") {
      res.status(409).json({ error: e.message });
      return;
    }
    res.status(500).json({ error: "Could not make the file" });
  }
};
