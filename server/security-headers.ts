/**
 * Response headers every page and API answer carries (helmet), with a Content-Security-Policy
 * that Remix + Mantine pages work under: scripts only from this origin or inline with this
 * response's nonce (Remix's and Mantine's bootstrap scripts get it through app/entry.server.tsx);
 * styles from this origin plus inline ones (Mantine and the charts set style attributes and a
 * <style> of CSS variables); no framing (clickjacking), no plugins, forms and <base> to this
 * origin only. HSTS is sent only when the request came over HTTPS (TLS here or a trusted proxy).
 */
import crypto from "node:crypto";
import type { RequestHandler, Response } from "express";
import helmet from "helmet";
import { isSecure } from "./trpc/context.js";

export function nonceOf(res: Response): string {
  return String(res.locals.cspNonce ?? "");
}

export function securityHeaders(): RequestHandler[] {
  const setNonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${nonceOf(res as Response)}'`],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  });
  const hsts: RequestHandler = (req, res, next) => {
    if (isSecure(req)) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
  return [setNonce, headers, hsts];
}

/** Answers that depend on who asks are never stored by the browser or a proxy. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
};
