import { createHash } from "node:crypto";
import pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  type RateLimiterAbstract,
  type RateLimiterRes,
} from "rate-limiter-flexible";
import { connection, type DatabaseConnection } from "~/db/index.server";
import { logger } from "./logger.server";
import { singleton } from "./singleton.server";

// Rate limits whose counters every app process shares (rate-limiter-flexible).
// - On a PostgreSQL server (DATABASE_URL): the RateLimit table, made by a migration like every
//   other table (prisma/schema.prisma), through a small pool of its own with short timeouts.
// - Embedded (PGlite, one process by construction): in memory.
// When the server's store cannot be reached (down, timing out), each limit keeps working in this
// process's memory with fewer points: stricter, never a 5xx.

export interface LimitRule {
  /** Prefix of the limit's keys, e.g. "signin:address". */
  name: string;
  /** Points (usually failures) allowed within a window. */
  points: number;
  windowSeconds: number;
  /** Points allowed by the in-memory stand-in while the shared store is unreachable; fewer than `points`. */
  fallbackPoints: number;
}

export interface Hit {
  /** Points used in the current window, this one included. */
  used: number;
  /** The window's first point: nothing was counted for this key before in the window. */
  first: boolean;
  /** Seconds until the key may act again when this hit used up the limit; else 0. */
  retryAfterSeconds: number;
}

export interface Limiter {
  readonly rule: LimitRule;
  /** Seconds until `subject` may act again; 0 when it may now. */
  retryAfter(subject: string): Promise<number>;
  /** Counts points (one by default) against `subject`. */
  hit(subject: string, points?: number): Promise<Hit>;
  /** Forgets what was counted for `subject`. */
  clear(subject: string): Promise<void>;
}

export type RateLimitStore = { kind: "postgres"; pool: pg.Pool } | { kind: "memory" };

/** The table that rate-limiter-flexible reads and writes (key, points, expire). */
export const RATE_LIMIT_TABLE = "RateLimit";

/** A pool for the rate-limit store on the app's server: few connections, short timeouts. */
export function rateLimitPool(url: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 3,
    connectionTimeoutMillis: 1_000,
    query_timeout: 2_000,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  pool.on("error", (error) => logger.warn({ err: error }, "rate-limit store connection lost"));
  return pool;
}

let lastWarning = 0;
function warnFallback(name: string) {
  const now = Date.now();
  if (now - lastWarning < 60_000) return;
  lastWarning = now;
  logger.warn(
    { limit: name },
    "rate-limit store unreachable: limits fall back to this process's memory, with fewer points",
  );
}

/** The in-memory stand-in that answers while the shared store fails; says so in the log. */
class FallbackLimiter extends RateLimiterMemory {
  constructor(
    private readonly limitName: string,
    options: ConstructorParameters<typeof RateLimiterMemory>[0],
  ) {
    super(options);
  }
  override penalty(key: string | number, points?: number, options?: { [key: string]: unknown }) {
    warnFallback(this.limitName);
    return super.penalty(key, points, options);
  }
  override get(key: string | number, options?: { [key: string]: unknown }) {
    warnFallback(this.limitName);
    return super.get(key, options);
  }
}

function subjectKey(subject: string): string {
  // The table's key is varchar(255); long subjects (an email and an address) are hashed.
  return subject.length > 160 ? createHash("sha256").update(subject).digest("hex") : subject;
}

/** Limited when the window still runs and its points are used up (by whichever limiter answered). */
function retryAfterOf(res: RateLimiterRes | null): number {
  if (!res || res.msBeforeNext <= 0 || res.remainingPoints > 0) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** A limiter on the given store. Two limiters made with the same rule on one server share their counts. */
export function createLimiter(rule: LimitRule, store: RateLimitStore): Limiter {
  const memoryOptions = { keyPrefix: rule.name, duration: rule.windowSeconds };
  const limiter: RateLimiterAbstract =
    store.kind === "postgres"
      ? new RateLimiterPostgres({
          storeClient: store.pool,
          storeType: "pool",
          tableName: RATE_LIMIT_TABLE,
          tableCreated: true,
          keyPrefix: rule.name,
          points: rule.points,
          duration: rule.windowSeconds,
          insuranceLimiter: new FallbackLimiter(rule.name, { ...memoryOptions, points: rule.fallbackPoints }),
        })
      : new RateLimiterMemory({ ...memoryOptions, points: rule.points });
  return {
    rule,
    async retryAfter(subject) {
      return retryAfterOf(await limiter.get(subjectKey(subject)));
    },
    async hit(subject, points = 1) {
      const res = await limiter.penalty(subjectKey(subject), points);
      return { used: res.consumedPoints, first: res.isFirstInDuration, retryAfterSeconds: retryAfterOf(res) };
    },
    async clear(subject) {
      await limiter.delete(subjectKey(subject));
    },
  };
}

interface ProcessLimits {
  store: RateLimitStore;
  limiters: Map<string, Limiter>;
}

const perConnection = () => singleton("rate-limit:stores", () => new WeakMap<DatabaseConnection, ProcessLimits>());
const override = () => singleton("rate-limit:override", () => ({ current: null as ProcessLimits | null }));

function processLimits(): ProcessLimits {
  const forced = override().current;
  if (forced) return forced;
  const db = connection();
  let limits = perConnection().get(db);
  if (!limits) {
    const store: RateLimitStore =
      db.kind === "server" && db.url ? { kind: "postgres", pool: rateLimitPool(db.url) } : { kind: "memory" };
    limits = { store, limiters: new Map() };
    perConnection().set(db, limits);
  }
  return limits;
}

/** This process's limiter for the rule, on the store that goes with the database. */
export function limiterFor(rule: LimitRule): Limiter {
  const limits = processLimits();
  let limiter = limits.limiters.get(rule.name);
  if (!limiter) {
    limiter = createLimiter(rule, limits.store);
    limits.limiters.set(rule.name, limiter);
  }
  return limiter;
}

/** Puts the process's limits on another store (null: back to the database's); for tests and tools. */
export function useRateLimitStore(store: RateLimitStore | null): void {
  override().current = store ? { store, limiters: new Map() } : null;
}
