import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";
import { databaseUrlSchema } from "../db/database-url.js";

/**
 * One environment schema for the web process, the worker and the scripts.
 * Parsed once; a bad value fails start-up with every bad field listed.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: databaseUrlSchema,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./data"),
  /** Artifact store: with S3_BUCKET set, files go to that S3-compatible bucket instead of DATA_DIR. */
  S3_BUCKET: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        "S3_BUCKET must be a valid bucket name (3-63 lower-case letters, digits, dots, hyphens)",
      )
      .optional(),
  ),
  S3_ENDPOINT: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().url("S3_ENDPOINT must be a URL such as http://127.0.0.1:9000").optional(),
  ),
  S3_REGION: z.string().default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters").optional(),
  JWT_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(24 * 7),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  WORKER_MAINTENANCE_MS: z.coerce.number().int().min(50).max(3_600_000).default(10_000),
  WORKER_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  WORKER_PURGE_AFTER_DAYS: z.coerce.number().min(0).default(30),
  /** Comma-separated handler names this worker serves (default: all registered). */
  WORKER_ONLY_QUEUES: z.string().default(""),
  /** The worker serves jobs named `<prefix><handler name>` (test isolation, separate deployments). */
  WORKER_NAME_PREFIX: z.string().default(""),
  /** Jobs this process enqueues are named `<prefix><kind>`: a worker with the same WORKER_NAME_PREFIX takes them (tests, separate deployments). */
  JOB_NAME_PREFIX: z.string().default(""),
  /** How workers pick the next job: "fair" (users take turns; the default) or "fifo" (priority, then age, across everyone). */
  WORKER_CLAIM_POLICY: z.enum(["fair", "fifo"]).default("fair"),
  /** What the worker announces it runs on: auto (CUDA when the addon sees a GPU), cpu or cuda. */
  WORKER_DEVICE: z.enum(["auto", "cpu", "cuda"]).default("auto"),
  TORCH_THREADS: z.coerce.number().int().min(1).max(256).default(1),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  /** Failed logins from one address (all emails) before it waits; high, so users behind one NAT are not locked out by one. */
  LOGIN_IP_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(100),
  /** New accounts per address per hour. */
  REGISTER_MAX_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Comma-separated origins (scheme://host:port) besides the app's own that may open the WebSocket or post to the API with a cookie. */
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .refine(
      (v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
          .every((o) => URL.canParse(o) && /^https?:$/.test(new URL(o).protocol)),
      "ALLOWED_ORIGINS must be comma-separated http(s)://host[:port] origins",
    ),
  /** 1 behind a reverse proxy: X-Forwarded-For / X-Forwarded-Proto are believed (client address, Secure cookie, HSTS). */
  TRUST_PROXY: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  /** Queued + running jobs one user may have at once (training runs, test jobs, early-life tasks, energy training, detections); raise per user with npm run set-quota. */
  QUOTA_ACTIVE_JOBS: z.coerce.number().int().min(0).default(20),
  /** Uploads (battery and energy files) one user may keep. */
  QUOTA_UPLOADS: z.coerce.number().int().min(0).default(200),
  /** Megabytes of uploaded files one user may keep. */
  QUOTA_STORAGE_MB: z.coerce.number().int().min(0).default(2048),
  /** Estimated training compute one battery training task may ask for, in TFLOP (server/services/training/compute.ts). */
  QUOTA_TASK_TFLOP: z.coerce.number().int().min(0).default(500),
});

export type Env = z.infer<typeof EnvSchema> & { JWT_SECRET: string; DATA_DIR: string };

let cached: Env | undefined;

/** The secret: from the environment, else generated once into a git-ignored file (never in production). */
function resolveJwtSecret(parsed: z.infer<typeof EnvSchema>): string {
  if (parsed.JWT_SECRET) return parsed.JWT_SECRET;
  const file = path.resolve(".local/jwt-secret");
  if (fs.existsSync(file)) {
    const s = fs.readFileSync(file, "utf8").trim();
    if (s.length >= 32) return s;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const s = crypto.randomBytes(32).toString("hex");
  fs.writeFileSync(file, s, { mode: 0o600 });
  return s;
}

export function env(): Env {
  if (cached) return cached;
  const result = EnvSchema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = {
    ...result.data,
    JWT_SECRET: resolveJwtSecret(result.data),
    DATA_DIR: path.resolve(result.data.DATA_DIR),
  };
  return cached;
}
