import { isbot } from "isbot";
import { unscopedDb } from "~/db/index.server";
import { notePerViewEffect } from "~/lib/request-context.server";
import { shanghaiToday } from "~/lib/time";

// Trace-page views per batch and Shanghai day, for the county dashboard (issue #11). One upsert
// per page request; crawlers and link previews (isbot) are not scans. Pages served by a shared
// cache in front of the app (publicPage) never reach here, so the figure is a floor.

/** Counts one scan of the batch behind `traceCode` (already known to be public). */
export async function recordTraceScan(traceCode: string, request: Request, now = new Date()): Promise<void> {
  // Every view may count (the next one may be a person's): this process's shared page cache
  // must never answer this page from memory, whoever rendered it.
  notePerViewEffect();
  if (request.method !== "GET") return;
  if (isbot(request.headers.get("user-agent") ?? "")) return;
  const day = shanghaiToday(now);
  await unscopedDb().$executeRaw`
    INSERT INTO "BatchScanDaily" ("batchId", day, "shopId", scans)
    SELECT b.id, ${day}::date, b."shopId", 1
      FROM "TraceCode" t JOIN "Batch" b ON b."shopId" = t."shopId" AND b.id = t."batchId"
     WHERE t.code = ${traceCode}
    ON CONFLICT ("shopId", "batchId", day) DO UPDATE SET scans = "BatchScanDaily".scans + 1`;
}
