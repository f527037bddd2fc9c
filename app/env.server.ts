import path from "node:path";
import { z } from "zod";
import { isTrustProxySetting } from "~/lib/trust-proxy.server";

// Every setting the server reads, parsed once at start-up. A bad value stops the
// process with a message naming the variable (see README "Configuration").
const envFields = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** A streaming replica for reads that tolerate lag (decision 024); unset: every read goes to DATABASE_URL. */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** A replica further behind than this is not read from until it catches up. */
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(3_600).default(5),
  /** After a visitor's write (any non-GET request), their reads stay on the primary this long. */
  READ_YOUR_WRITES_SECONDS: z.coerce.number().int().min(0).max(3_600).default(5),
  /** Serving processes on a PostgreSQL server (default: one per core); always one on embedded PGlite. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * Where the background worker runs: `in-process` (the server's primary process runs it) or
   * `separate` (this node runs none; `npm run jobs:worker` runs it as a process of its own).
   */
  JOB_WORKER: z.enum(["in-process", "separate"]).default("in-process"),
  /** A name for this app node, sent as the X-Node answer header (which node of several answered); unset: none. */
  NODE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1–64 letters, digits, dots, hyphens or underscores")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * On SIGTERM, how long a node keeps accepting while /readyz already answers 503, so a balancer
   * that polls it stops sending before the socket closes (decision 024). 0: close at once.
   */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Memory for the shared page cache of anonymous public pages, per process (decision 019); 0 turns it off. */
  PAGE_CACHE_MB: z.coerce.number().min(0).max(16_384).default(64),
  PGLITE_DIR: z.string().min(1).default("./data/pglite"),
  MEDIA_DIR: z.string().min(1).default("./data/media"),
  /**
   * Where photos live (decision 024): `disk` under MEDIA_DIR (one machine), or `s3`, an
   * S3-compatible object store every node shares, named by the S3_* settings.
   */
  MEDIA_STORAGE: z.enum(["disk", "s3"]).default("disk"),
  /** The store's URL, addressed path-style (URL/bucket/key), e.g. http://127.0.0.1:9000. */
  S3_ENDPOINT: z
    .string()
    .url("must be a URL such as http://127.0.0.1:9000")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      "must be a bucket name: 3–63 lower-case letters, digits, dots, hyphens",
    )
    .optional()
    .or(z.literal("").transform(() => undefined)),
  S3_ACCESS_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  S3_SECRET_ACCESS_KEY: z
    .string()
    .min(1)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Where background report exports are written; never served as static files. */
  EXPORTS_DIR: z.string().min(1).default("./data/exports"),
  /** A report file with more rows than this is made by a background job instead of in the request. */
  EXPORT_BACKGROUND_ROWS: z.coerce.number().int().min(0).default(50_000),
  TENANTS_DIR: z.string().min(1).default("./tenants"),
  TENANTS_SYNC_ON_START: z.enum(["empty", "always", "never"]).default("empty"),
  PLATFORM_HOST: z
    .string()
    .regex(/^[a-z0-9.-]+$/, "must be a lower-case host name without port, e.g. localhost")
    .default("localhost"),
  /** Largest photo a cooperative may upload, in bytes. */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(100_000)
    .max(200_000_000)
    .default(15 * 1024 * 1024),
  /** Stripe (issue #5). Without a secret key, checkout uses the offline provider only. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_/, "must start with sk_ or rk_")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_/, "must start with whsec_")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Where the Stripe SDK sends requests, e.g. http://127.0.0.1:12111 for a local test server. */
  STRIPE_API_BASE: z
    .string()
    .url("must be a URL such as http://127.0.0.1:12111")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** How long an unpaid online order holds its stock and places. */
  RESERVATION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** How long an offline (货到付款 / bank transfer) order holds them while the cooperative confirms. */
  OFFLINE_RESERVATION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** How often the background worker releases unpaid orders past their time and re-reads Stripe. */
  PAYMENT_JOBS_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** How often the worker sends due logistics pushes (signed Standard Webhooks) to partners' endpoints. */
  LOGISTICS_PUSH_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** The platform's fee on each sale, in percent (2.5 = 2.5 %). */
  PLATFORM_FEE_PERCENT: z.coerce.number().min(0).max(50).default(5),
  /**
   * The platform's public origin (scheme, host, optional port), e.g. https://yicun.example. Every
   * link that leaves the site (messages, labels, QR codes, canonical links) is built from it and
   * from shops' verified domains, never from request headers. Default: http://localhost:<PORT>.
   */
  PUBLIC_ORIGIN: z
    .string()
    .url("must be an origin such as https://yicun.example")
    .refine((value) => /^https?:\/\/[^/?#]+\/?$/.test(value), "must be scheme://host[:port] with no path")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * Which proxies in front of the app may say who the client is (X-Forwarded-For): unset = none
   * (the socket's address is the client), a hop count (1 = one load balancer), or comma-separated
   * addresses / CIDRs / proxy-addr names (loopback, linklocal, uniquelocal).
   */
  TRUST_PROXY: z
    .string()
    .refine(
      isTrustProxySetting,
      "must be a hop count or comma-separated addresses/CIDRs (e.g. 1, or 10.0.0.0/8,loopback)",
    )
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Custom domains (issue #9): how often each one's DNS TXT record is checked, pending or verified. */
  DOMAIN_CHECK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  /** Failed checks in a row before a verified domain stops being served (a DNS blip is forgiven). */
  DOMAIN_CHECK_GRACE: z.coerce.number().int().min(1).max(100).default(3),
  /** DNS servers for the check, e.g. 1.1.1.1,223.5.5.5 or 127.0.0.1:5353; empty: the system's. */
  DOMAIN_DNS_SERVERS: z
    .string()
    .regex(
      /^\s*[0-9a-fA-F:.[\]]+(\s*,\s*[0-9a-fA-F:.[\]]+)*\s*$/,
      "must be comma-separated IP addresses, each with an optional :port",
    )
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * Two-factor sign-in: the key that encrypts authenticator secrets at rest (any string of
   * 32+ characters; keep it out of the database's backups). Unset: secrets are stored as they are.
   */
  TWO_FACTOR_KEY: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** The name authenticator apps show beside the account. */
  TWO_FACTOR_ISSUER: z.string().min(1).max(60).default("一村一品一店"),
  /** How recent a second-factor code must be for payouts and bank details, in minutes. */
  REAUTH_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Settings that only make sense together. */
const envSchema = envFields.superRefine((settings, context) => {
  if (settings.MEDIA_STORAGE !== "s3") return;
  for (const name of ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
    if (!settings[name])
      context.addIssue({ code: "custom", path: [name], message: "is required when MEDIA_STORAGE=s3" });
  }
});

export type Env = Omit<z.infer<typeof envSchema>, "PUBLIC_ORIGIN"> & { PUBLIC_ORIGIN: string };

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".")}: ${issue.message} (got ${JSON.stringify(source[String(issue.path[0])])})`,
    );
    throw new EnvError(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  const env = result.data;
  return {
    ...env,
    PUBLIC_ORIGIN: (env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    PGLITE_DIR: path.resolve(env.PGLITE_DIR),
    MEDIA_DIR: path.resolve(env.MEDIA_DIR),
    EXPORTS_DIR: path.resolve(env.EXPORTS_DIR),
    TENANTS_DIR: path.resolve(env.TENANTS_DIR),
  };
}

let cached: Env | undefined;

/** The process's settings; parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forgets the parsed settings, so the next env() reads process.env again (for tests that change it). */
export function resetEnv(): void {
  cached = undefined;
}
