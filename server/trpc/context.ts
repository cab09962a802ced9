import type { IncomingMessage } from "node:http";
import { parse as parseCookie } from "cookie";
import { User } from "../../db/models/user.js";
import { SESSION_COOKIE, verifySession } from "../auth/token.js";
import { apiKeyFormatProblem, looksLikeApiKey } from "../auth/api-key-crypto.js";
import { userForApiKey } from "../services/accounts.js";
import { env } from "../env.js";

export type AuthMethod = "cookie" | "bearer" | "api-key";

export interface Auth {
  user: User | null;
  authMethod: AuthMethod | null;
  /** Why a presented credential was refused (shown in UNAUTHORIZED messages). */
  authProblem: string | null;
  /** The session (JWT jti) behind a cookie or bearer JWT; null for API keys and anonymous callers. */
  sessionId?: string | null;
}

export interface Context extends Auth {
  ip: string;
  /** Sets or clears a response cookie; absent over WebSocket. */
  setCookie?: (header: string) => void;
  /** Sets a response header (Retry-After); absent over WebSocket. */
  setHeader?: (name: string, value: string) => void;
  secure: boolean;
  /** "ws" for calls over the WebSocket; absent or "http" otherwise. */
  transport?: "http" | "ws";
  /** WebSocket only: resolves the connection's credential again (revoked key, ended session). */
  recheck?: () => Promise<Auth>;
  /** REST only: the JSON body as sent (the REST layer passes it on uncoerced, so it validates as over tRPC). */
  restBody?: unknown;
}

/** The peer address; behind a trusted proxy (TRUST_PROXY=1) the address the proxy appended. */
export function clientIp(req: IncomingMessage): string {
  if (env().TRUST_PROXY) {
    const fwd = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (fwd.length) return fwd[fwd.length - 1]!;
  }
  return req.socket?.remoteAddress ?? "unknown";
}

/** HTTPS as the browser sees it: TLS here, or X-Forwarded-Proto only from a trusted proxy. */
export function isSecure(req: IncomingMessage): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  return (
    env().TRUST_PROXY &&
    String(req.headers["x-forwarded-proto"] ?? "")
      .split(",")[0]!
      .trim() === "https"
  );
}

/** Resolves the caller from a bearer token (JWT or API key) or the session cookie. */
export async function resolveUser(authorization: string | undefined, cookieHeader: string | undefined): Promise<Auth> {
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer) {
    if (looksLikeApiKey(bearer)) {
      const user = await userForApiKey(bearer);
      return user
        ? { user, authMethod: "api-key", authProblem: null, sessionId: null }
        : { user: null, authMethod: null, authProblem: "API key is unknown or revoked", sessionId: null };
    }
    const keyProblem = apiKeyFormatProblem(bearer);
    if (keyProblem) return { user: null, authMethod: null, authProblem: keyProblem, sessionId: null };
    return fromJwt(bearer, "bearer");
  }
  const token = cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
  if (token) return fromJwt(token, "cookie");
  return { user: null, authMethod: null, authProblem: null, sessionId: null };
}

const PROBLEMS = { expired: "session expired", invalid: "invalid session token", ended: "session ended (signed out)" };

async function fromJwt(token: string, method: AuthMethod): Promise<Auth> {
  const v = await verifySession(token);
  if (!v.ok) return { user: null, authMethod: null, authProblem: PROBLEMS[v.reason], sessionId: null };
  const user = (await User.query().findById(v.userId)) ?? null;
  return user
    ? { user, authMethod: method, authProblem: null, sessionId: v.sessionId }
    : { user: null, authMethod: null, authProblem: "the session's user no longer exists", sessionId: null };
}

export async function createHttpContext(
  req: IncomingMessage,
  setCookie: (h: string) => void,
  setHeader?: (name: string, value: string) => void,
): Promise<Context> {
  const auth = await resolveUser(req.headers.authorization, req.headers.cookie);
  return { ...auth, ip: clientIp(req), setCookie, setHeader, secure: isSecure(req), transport: "http" };
}

/** The credential a WebSocket connection presented (kept to re-check it on every call). */
export function wsCredential(
  req: IncomingMessage,
  connectionParams: Record<string, string | undefined> | null | undefined,
) {
  const token = connectionParams?.token ?? connectionParams?.apiKey;
  return { authorization: token ? `Bearer ${token}` : req.headers.authorization, cookie: req.headers.cookie };
}

/** WebSocket: the browser sends its cookie on the upgrade; scripts pass a token in connectionParams. */
export async function createWsContext(
  req: IncomingMessage,
  connectionParams: Record<string, string | undefined> | null | undefined,
): Promise<Context> {
  const cred = wsCredential(req, connectionParams);
  const auth = await resolveUser(cred.authorization, cred.cookie);
  return {
    ...auth,
    ip: clientIp(req),
    secure: false,
    transport: "ws",
    recheck: () => resolveUser(cred.authorization, cred.cookie),
  };
}
