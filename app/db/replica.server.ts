import type { PrismaClient } from "~/generated/prisma/client";
import { env } from "~/env.server";
import { requestContext } from "~/lib/request-context.server";
import { singleton } from "~/lib/singleton.server";
import { connect, type DatabaseConnection } from "./connection.server";

// Reads that tolerate a second of lag from a streaming replica (docs/decisions/024-stateless-nodes.md).
// DATABASE_REPLICA_URL turns it on; without it every read goes to the primary as before.
// A read goes to the replica only when all of these hold:
// - the code asked for it (readDb()/unscopedReadDb(): storefront-style reads, never a write path);
// - the request is a GET/HEAD whose visitor has not written in the last READ_YOUR_WRITES_SECONDS
//   (server.ts marks each non-GET answer with a cookie holding the time);
// - the replica answered its last probe (every second, bounded) with a lag under REPLICA_MAX_LAG_SECONDS.
// Otherwise the primary answers: a replica that is down or behind costs freshness, never an error.

/** The cookie that holds when the visitor last wrote (milliseconds since the epoch). */
export const LAST_WRITE_COOKIE = "lw";

/**
 * The logger is loaded on first use: it reads the settings when created, and app/db is imported
 * before a test's (or a script's) settings are in place.
 */
function log(level: "info" | "warn", facts: Record<string, unknown>, message: string) {
  void import("~/lib/logger.server").then(({ logger }) => logger[level](facts, message));
}

const PROBE_EVERY_MS = 1_000;
const PROBE_TIMEOUT_MS = 500;

/** The replica's lag in seconds: 0 when it has replayed all it received (or is not in recovery). */
export const REPLICA_LAG_SQL = `
  SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
  END::float8 AS lag`;

export interface ReplicaHealth {
  /** Whether reads may go to the replica now, from the last probe. */
  usable(): boolean;
  /** Probes the replica now (also done every second once started). */
  refresh(): Promise<boolean>;
  /** A read found the replica unreachable: no more reads go there until a probe says it answers. */
  down(error: unknown): void;
  stop(): void;
}

/**
 * The replica's health from `probe` (its lag in seconds; a rejection or a timeout means it is down),
 * probed every `everyMs` once started. Unknown until the first probe answers: the primary until then.
 */
export function replicaHealth({
  probe,
  maxLagSeconds,
  everyMs = PROBE_EVERY_MS,
  timeoutMs = PROBE_TIMEOUT_MS,
}: {
  probe: () => Promise<number>;
  maxLagSeconds: number;
  everyMs?: number;
  timeoutMs?: number;
}): ReplicaHealth {
  let usable = false;
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<boolean> | undefined;

  const refresh = () => {
    pending ??= (async () => {
      let timeout: NodeJS.Timeout | undefined;
      try {
        const lag = await Promise.race([
          probe(),
          new Promise<never>((_, reject) => {
            timeout = setTimeout(() => reject(new Error("replica probe timed out")), timeoutMs);
          }),
        ]);
        const now = lag <= maxLagSeconds;
        if (now !== usable) log("info", { lagSeconds: lag, usable: now }, "replica reads");
        usable = now;
      } catch (error) {
        if (usable) log("warn", { err: error }, "replica unreachable: reads go to the primary");
        usable = false;
      } finally {
        clearTimeout(timeout);
        pending = undefined;
      }
      return usable;
    })();
    return pending;
  };

  return {
    usable() {
      if (!timer) {
        timer = setInterval(() => void refresh(), everyMs);
        timer.unref();
        void refresh();
      }
      return usable;
    },
    refresh,
    down(error) {
      if (usable) log("warn", { err: error }, "replica unreachable: reads go to the primary");
      usable = false;
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Whether this request's reads may be served by the replica: a GET/HEAD without a recent write. */
export function requestMayReadReplica({
  method,
  cookieHeader,
  now = Date.now(),
  readYourWritesSeconds = env().READ_YOUR_WRITES_SECONDS,
}: {
  method: string;
  cookieHeader: string | undefined;
  now?: number;
  readYourWritesSeconds?: number;
}): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  const match = new RegExp(`(?:^|;\\s*)${LAST_WRITE_COOKIE}=(\\d{1,15})(?:;|$)`).exec(cookieHeader ?? "");
  if (!match) return true;
  const wroteAt = Number(match[1]);
  return !(now - wroteAt < readYourWritesSeconds * 1_000 && wroteAt <= now + 60_000);
}

/** The Set-Cookie value that keeps this visitor's reads on the primary for a few seconds. */
export function lastWriteCookie(now = Date.now(), seconds = env().READ_YOUR_WRITES_SECONDS, secure = false): string {
  return `${LAST_WRITE_COOKIE}=${now}; Path=/; Max-Age=${seconds}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

interface Replica {
  connection: DatabaseConnection;
  health: ReplicaHealth;
}

/** The process's replica connection and its health, or null when DATABASE_REPLICA_URL is unset. */
export function replica(): Replica | null {
  const { DATABASE_REPLICA_URL, DATABASE_POOL_SIZE, REPLICA_MAX_LAG_SECONDS } = env();
  if (!DATABASE_REPLICA_URL) return null;
  return singleton("db:replica", () => {
    const connection = connect({ kind: "server", url: DATABASE_REPLICA_URL, poolSize: DATABASE_POOL_SIZE });
    const health = replicaHealth({
      maxLagSeconds: REPLICA_MAX_LAG_SECONDS,
      probe: async () => (await connection.raw.query<{ lag: number }>(REPLICA_LAG_SQL))[0]!.lag,
    });
    return { connection, health };
  });
}

/**
 * The replica's connection when this read may use it (see above), else null (use the primary).
 * Outside a request (jobs, scripts) reads stay on the primary.
 */
export function replicaForThisRead(): DatabaseConnection | null {
  const facts = requestContext.getStore();
  if (!facts?.mayReadReplica) return null;
  const current = replica();
  if (!current || !current.health.usable()) return null;
  // The replica may not have replayed a change whose notification already emptied the shared page
  // cache: a page rendered from it could be kept stale until its max-age, so it is not kept.
  facts.readReplica = true;
  return current.connection;
}

export async function closeReplica(): Promise<void> {
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  const existing = store.__singletons?.get("db:replica") as Replica | undefined;
  if (!existing) return;
  store.__singletons?.delete("db:replica");
  store.__singletons?.delete("db:replica:scoped");
  store.__singletons?.delete("db:replica:fallback");
  existing.health.stop();
  await existing.connection.close();
}

/**
 * Whether `error` says the database could not be reached or cannot serve now (refused, reset or
 * cut connections, SQLSTATE class 08, 57P01–57P03: shutting down, starting up, promoted away),
 * rather than that the query itself failed. Prisma wraps the driver's error: its message, code
 * and cause are all looked at.
 */
export function isUnreachable(error: unknown): boolean {
  const messages =
    /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|Can't reach database|timeout exceeded when trying to connect|the database system is (?:starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Code: `(?:08[0-9A-Z]{3}|57P0[1-3])`/i;
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (
      typeof code === "string" &&
      /^(?:08[0-9A-Z]{3}|57P0[1-3]|ECONNREFUSED|ECONNRESET|EPIPE|P1001|P1017)$/.test(code)
    )
      return true;
    if (typeof message === "string" && messages.test(message)) return true;
    current = cause;
  }
  return false;
}

/**
 * The replica's Prisma client for reads that may lag, falling back to `primary` when the replica
 * turns out unreachable in the middle of a request (stopped, restarting, promoted away): the health
 * probe learns it only within a second, and the reads sent meanwhile must not fail. The failed
 * read runs again on the primary, and the replica is skipped until a probe finds it back.
 */
export function withPrimaryFallback(replicaPrisma: PrismaClient, health: ReplicaHealth, primary: () => PrismaClient) {
  return replicaPrisma.$extends({
    name: "replica-fallback",
    query: {
      async $allOperations({ model, operation, args, query }) {
        try {
          return await query(args);
        } catch (error) {
          if (!isUnreachable(error)) throw error;
          health.down(error);
          const client = primary() as unknown as Record<string, unknown>;
          const target = (model ? client[model.charAt(0).toLowerCase() + model.slice(1)] : client) as Record<
            string,
            (input: unknown) => Promise<unknown>
          >;
          return target[operation]!(args);
        }
      },
    },
  }) as unknown as PrismaClient;
}
