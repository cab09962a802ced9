/**
 * Helpers for REST tests over real HTTP: a call with an API key, and a check of a 200 body against
 * the OpenAPI document's schema for that operation (ajv; formats not checked).
 */
import { Ajv, type ValidateFunction } from "ajv";

/**
 * Operations asked by server/openapi/lab-operations.test.ts (the owner's 200 validated against the
 * document, another user's 404), with the jobs and fixtures they need; openapi.test.ts asks every other one.
 */
export const LAB_OPERATIONS = [
  "post /early-life/tasks",
  "get /early-life/tasks",
  "get /early-life/tasks/{id}",
  "post /early-life/tasks/{id}/cancel",
  "get /early-life/tasks/{id}/result.csv",
  "get /early-life/tasks/{id}/result.xlsx",
  "post /energy/models/{id}/forecast-from-history",
  "post /anomaly/streaming-detectors",
] as const;

export type RestMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** One request to /api/v1 with `Authorization: Bearer <key>` (a JSON body when given). */
export function restCall(
  baseUrl: string,
  key: string,
  method: RestMethod,
  path: string,
  opts: { body?: unknown; query?: Record<string, string> } = {},
): Promise<Response> {
  const qs = opts.query ? `?${new URLSearchParams(opts.query)}` : "";
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${baseUrl}/api/v1${path}${qs}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
}

/** `check("post /early-life/tasks", body)`: the ajv errors of a 200 JSON body against the document, or null. */
export function documentChecker(doc: { paths: Record<string, Record<string, any>> }) {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const compiled = new Map<string, ValidateFunction>();
  return (op: string, body: unknown): string | null => {
    const [method, path] = op.split(" ");
    let validate = compiled.get(op);
    if (!validate) {
      const schema = doc.paths[path]?.[method]?.responses?.["200"]?.content?.["application/json"]?.schema;
      if (!schema) return `${op}: no JSON 200 response in the document`;
      validate = ajv.compile(schema);
      compiled.set(op, validate);
    }
    return validate(body) ? null : `${op}: ${ajv.errorsText(validate.errors)}`;
  };
}
