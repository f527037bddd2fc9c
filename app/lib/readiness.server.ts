import type { RequestHandler } from "express";

// Readiness, as a load balancer or an orchestrator asks for it (docs/decisions/024-stateless-nodes.md).
// /healthz says the process is alive and its database answers; /readyz says whether this node
// should be sent new requests: not while it starts, not once it drains, not while its database
// cannot be reached. The database check is cached briefly, so probes cost one query a second
// per process at most however often they come.

export type ReadinessState = "starting" | "ready" | "draining";

export interface ReadinessAnswer {
  ready: boolean;
  state: ReadinessState;
  database: boolean | null;
}

export interface Readiness {
  state(): ReadinessState;
  /** The node has listened and may take requests (once its database answers). */
  markReady(): void;
  /** The node is shutting down: never ready again. */
  markDraining(): void;
  check(): Promise<ReadinessAnswer>;
}

export function createReadiness({
  checkDatabase,
  cacheMs = 1_000,
  now = Date.now,
}: {
  /** Resolves true when the database answers (bounded by its own timeout); never rejects. */
  checkDatabase: () => Promise<boolean>;
  cacheMs?: number;
  now?: () => number;
}): Readiness {
  let state: ReadinessState = "starting";
  let last: { ok: boolean; at: number } | undefined;
  let pending: Promise<boolean> | undefined;

  const database = async (): Promise<boolean> => {
    if (last && now() - last.at < cacheMs) return last.ok;
    // Probes that arrive together share one query.
    pending ??= checkDatabase()
      .catch(() => false)
      .then((ok) => {
        last = { ok, at: now() };
        pending = undefined;
        return ok;
      });
    return pending;
  };

  return {
    state: () => state,
    markReady() {
      if (state === "starting") state = "ready";
    },
    markDraining() {
      state = "draining";
    },
    async check() {
      if (state !== "ready") return { ready: false, state, database: null };
      const ok = await database();
      return { ready: ok && state === "ready", state, database: ok };
    },
  };
}

/** GET/HEAD /readyz: 200 when ready, 503 otherwise; never cached. Other requests pass through. */
export function readyzHandler(readiness: Readiness): RequestHandler {
  return (req, res, next) => {
    if (req.path !== "/readyz" || (req.method !== "GET" && req.method !== "HEAD")) return next();
    readiness.check().then(
      (answer) => {
        res.status(answer.ready ? 200 : 503);
        res.set({ "Content-Type": "application/json", "Cache-Control": "no-store" });
        res.end(
          JSON.stringify({
            status: answer.ready ? "ready" : "unavailable",
            state: answer.state,
            database: answer.database,
          }),
        );
      },
      (error: unknown) => next(error),
    );
  };
}

/** While the node drains, every answer asks its client to close the connection. */
export function closeConnectionsWhileDraining(readiness: Readiness): RequestHandler {
  return (_req, res, next) => {
    if (readiness.state() === "draining") res.setHeader("Connection", "close");
    next();
  };
}
