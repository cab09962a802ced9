import type { IncomingMessage } from "node:http";
import { parse as parseCookie } from "cookie";
import { User } from "../../db/models/user.js";
import { SESSION_COOKIE, verifySession } from "../auth/token.js";
import { looksLikeApiKey } from "../auth/api-key-crypto.js";
import { userForApiKey } from "../services/accounts.js";

export type AuthMethod = "cookie" | "bearer" | "api-key";

export interface Context {
  user: User | null;
  authMethod: AuthMethod | null;
  /** Why a presented credential was refused (shown in UNAUTHORIZED messages). */
  authProblem: string | null;
  ip: string;
  /** Sets or clears a response cookie; absent over WebSocket. */
  setCookie?: (header: string) => void;
  secure: boolean;
}

function clientIp(req: IncomingMessage): string {
  return req.socket?.remoteAddress ?? "unknown";
}

/** Resolves the caller from a bearer token (JWT or API key) or the session cookie. */
export async function resolveUser(
  authorization: string | undefined,
  cookieHeader: string | undefined,
): Promise<Pick<Context, "user" | "authMethod" | "authProblem">> {
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer) {
    if (looksLikeApiKey(bearer)) {
      const user = await userForApiKey(bearer);
      return user
        ? { user, authMethod: "api-key", authProblem: null }
        : { user: null, authMethod: null, authProblem: "API key is unknown or revoked" };
    }
    return fromJwt(bearer, "bearer");
  }
  const token = cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
  if (token) return fromJwt(token, "cookie");
  return { user: null, authMethod: null, authProblem: null };
}

async function fromJwt(token: string, method: AuthMethod) {
  const v = await verifySession(token);
  if (!v.ok) {
    return { user: null, authMethod: null, authProblem: v.reason === "expired" ? "session expired" : "invalid session token" };
  }
  const user = (await User.query().findById(v.userId)) ?? null;
  return user
    ? { user, authMethod: method, authProblem: null }
    : { user: null, authMethod: null, authProblem: "the session's user no longer exists" };
}

export async function createHttpContext(req: IncomingMessage, setCookie: (h: string) => void): Promise<Context> {
  const auth = await resolveUser(req.headers.authorization, req.headers.cookie);
  const secure = (req.headers["x-forwarded-proto"] ?? "") === "https" || Boolean((req.socket as { encrypted?: boolean }).encrypted);
  return { ...auth, ip: clientIp(req), setCookie, secure };
}

/** WebSocket: the browser sends its cookie on the upgrade; scripts pass a token in connectionParams. */
export async function createWsContext(
  req: IncomingMessage,
  connectionParams: Record<string, string | undefined> | null | undefined,
): Promise<Context> {
  const token = connectionParams?.token ?? connectionParams?.apiKey;
  const auth = await resolveUser(token ? `Bearer ${token}` : req.headers.authorization, req.headers.cookie);
  return { ...auth, ip: clientIp(req), secure: false };
}
