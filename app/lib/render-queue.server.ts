import { AsyncResource } from "node:async_hooks";
import type { RequestHandler } from "express";

// A bound on the requests one process works on at once (decision 035). Without it, 50 buyers
// arriving together are all worked on at once: each gets a fiftieth of the process, none is
// answered before all are, and when that takes longer than a client waits, clients give up and
// ask again while the process still works for the ones who left, so the work only grows (the
// bench's search with one serving process never answered again). With it, requests wait in
// arrival order, the first ones are answered at their normal speed, and a request whose client
// has gone while it waited is dropped without any work.

/**
 * Requests in Remix at once per serving process (its database pool has 10 connections). 4, not 8:
 * on 2 cores, 8 per process put 16 searches at once into PostgreSQL, each paying for the others'
 * contention (search 桃 +500: 12.2 ms of database CPU a search at 8, 9.1 ms at 4, 43 → 58 a second;
 * private pages as fast or faster; docs/perf.md, "Issue #12's targets, stop 24").
 */
export const RENDER_CONCURRENCY = 4;

interface Waiting {
  gone: () => boolean;
  start: () => void;
}

/**
 * Express middleware: at most `max` GET/HEAD requests past it at once; a request holds its place until
 * its response's headers are written (the loaders and the page's shell are done: what is left is
 * streaming, which can be long for a download) or its connection closes.
 */
export function renderQueue({ max = RENDER_CONCURRENCY }: { max?: number } = {}): RequestHandler & {
  stats: () => { active: number; waiting: number; dropped: number };
} {
  let active = 0;
  let dropped = 0;
  const waiting: Waiting[] = [];

  const drain = () => {
    while (active < max && waiting.length) {
      const next = waiting.shift()!;
      if (next.gone()) dropped++;
      else next.start();
    }
  };

  const handler: RequestHandler = (req, res, next) => {
    // Page views only: a form or an upload (whose body may take a phone a minute to send) is
    // never held behind a burst of views, nor holds a place while its body arrives.
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    // Run in this request's own async context (its request id, statement count, replica routing)
    // even when a finishing request starts it.
    const start = AsyncResource.bind(() => {
      active++;
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        active--;
        drain();
      };
      const writeHead = res.writeHead;
      res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
        release();
        return writeHead.apply(this, args);
      } as typeof res.writeHead;
      res.once("finish", release);
      res.once("close", release);
      next();
    });
    if (active < max) return start();
    waiting.push({ gone: () => req.socket.destroyed || res.writableEnded, start });
  };
  return Object.assign(handler, { stats: () => ({ active, waiting: waiting.length, dropped }) });
}
