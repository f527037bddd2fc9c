import { isbot } from "isbot";
import { db } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { notePerViewEffect } from "~/lib/request-context.server";
import { addDays, isoDateToDate, shanghaiToday } from "~/lib/time";
import { normalizeText } from "./words.server";

// What buyers search for, per Shanghai week (docs/decisions/026-search-queries.md): one row per
// normalized query and week, counted in batches (decision 035: each process adds up its searches and
// writes them once a second), not a row per search. Nobody is recorded: no
// user, session, IP or user agent. Only submitted searches (the /search page) come here, never the
// suggestion endpoint's keystrokes. Platform-owned: the platform admin reads it on
// /platform/search/queries.

/** Logged queries are cut to this many characters (the column is varchar(100)). */
export const LOGGED_QUERY_MAX = 100;
/** Rows each table of the queries page shows. */
export const QUERY_TABLE_SIZE = 50;

/** The query as it is counted: folded like search folds it, spaces collapsed, bounded. */
export function loggedQuery(q: string): string {
  return [...normalizeText(q).replace(/\s+/g, " ").trim()].slice(0, LOGGED_QUERY_MAX).join("").trim();
}

/** The Monday ("YYYY-MM-DD") of the Shanghai week that `now` falls in. */
export function weekStartOf(now = new Date()): string {
  return mondayOf(shanghaiToday(now));
}

/** The Monday of the week of a calendar date "YYYY-MM-DD". */
export function mondayOf(iso: string): string {
  const weekday = isoDateToDate(iso).getUTCDay(); // 0 = Sunday
  return addDays(iso, -((weekday + 6) % 7));
}

/** The week a `?week=` asks for: a valid date snapped to its Monday, else this week. */
export function parseWeek(param: string | null, now = new Date()): string {
  if (param && /^\d{4}-\d{2}-\d{2}$/.test(param)) {
    const date = isoDateToDate(param);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === param) return mondayOf(param);
  }
  return weekStartOf(now);
}

/** How long counted searches wait in this process before one statement writes them. */
export const SEARCH_LOG_FLUSH_MS = 1_000;
/** Distinct queries a process keeps before it writes them at once. */
const SEARCH_LOG_MAX_PENDING = 500;

interface PendingCount {
  week: string;
  query: string;
  searches: number;
  zeroResults: number;
  lastResults: number;
  lastSeenAt: Date;
}

// This process's counts not yet written, by week and query (decision 035): a burst of one search
// is one row's update a second, not one upsert per search queued on the same row's lock.
const pending = new Map<string, PendingCount>();
let timer: ReturnType<typeof setTimeout> | undefined;
let writing: Promise<void> = Promise.resolve();

/**
 * Counts one submitted search and how many products it found. Never throws and never waits for
 * the database: the count is added to this process's pending counts, which one statement writes
 * within SEARCH_LOG_FLUSH_MS (flushSearchLog). Crawlers (isbot) are not counted.
 */
export async function logSearch({
  q,
  results,
  request,
  now = new Date(),
}: {
  q: string;
  results: number;
  request: Request;
  now?: Date;
}): Promise<void> {
  // Each search counts: this process's shared page cache must not replay the page without us.
  notePerViewEffect();
  const query = loggedQuery(q);
  if (!query || request.method !== "GET" || isbot(request.headers.get("user-agent") ?? "")) return;
  const week = weekStartOf(now);
  const key = `${week} ${query}`;
  const zero = results === 0 ? 1 : 0;
  const count = pending.get(key);
  if (!count) pending.set(key, { week, query, searches: 1, zeroResults: zero, lastResults: results, lastSeenAt: now });
  else {
    count.searches += 1;
    count.zeroResults += zero;
    if (now >= count.lastSeenAt) Object.assign(count, { lastResults: results, lastSeenAt: now });
  }
  if (pending.size >= SEARCH_LOG_MAX_PENDING) void flushSearchLog();
  else timer ??= setTimeout(() => void flushSearchLog(), SEARCH_LOG_FLUSH_MS).unref();
}

/**
 * Writes this process's pending counts in one statement (rows in key order, so two processes
 * writing the same rows never deadlock). A failed write is logged and its counts dropped: the
 * figures are a floor (decision 026). Resolves when everything counted before the call is written.
 */
export function flushSearchLog(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = undefined;
  const rows = [...pending.values()].sort((a, b) =>
    a.week === b.week ? (a.query < b.query ? -1 : 1) : a.week < b.week ? -1 : 1,
  );
  pending.clear();
  writing = writing.then(() => (rows.length ? writeCounts(rows) : undefined));
  return writing;
}

async function writeCounts(rows: PendingCount[]) {
  const payload = JSON.stringify(rows);
  try {
    await db().$executeRaw`
      INSERT INTO "SearchQueryWeek" ("weekStart", query, searches, "zeroResults", "lastResults", "lastSeenAt")
      SELECT r.week::date, r.query, r.searches, r."zeroResults", r."lastResults", r."lastSeenAt"
        FROM jsonb_to_recordset(${payload}::jsonb)
             AS r(week text, query text, searches int, "zeroResults" int, "lastResults" int, "lastSeenAt" timestamptz)
      ON CONFLICT ("weekStart", query) DO UPDATE SET
        searches = "SearchQueryWeek".searches + EXCLUDED.searches,
        "zeroResults" = "SearchQueryWeek"."zeroResults" + EXCLUDED."zeroResults",
        "lastResults" = CASE WHEN EXCLUDED."lastSeenAt" >= "SearchQueryWeek"."lastSeenAt"
                             THEN EXCLUDED."lastResults" ELSE "SearchQueryWeek"."lastResults" END,
        "lastSeenAt" = GREATEST("SearchQueryWeek"."lastSeenAt", EXCLUDED."lastSeenAt")`;
  } catch (error) {
    logger.warn({ err: error, queries: rows.length }, "search: could not count queries");
  }
}

export interface QueryRow {
  query: string;
  searches: number;
  zeroResults: number;
  lastResults: number;
  lastSeenAt: Date;
}

/** A week's most searched queries and its queries that found nothing, most frequent first. */
export async function queryWeek(week: string) {
  const weekStart = isoDateToDate(week);
  const select = { query: true, searches: true, zeroResults: true, lastResults: true, lastSeenAt: true } as const;
  const [top, zero] = await Promise.all([
    db().searchQueryWeek.findMany({
      where: { weekStart },
      orderBy: [{ searches: "desc" }, { query: "asc" }],
      take: QUERY_TABLE_SIZE,
      select,
    }),
    db().searchQueryWeek.findMany({
      where: { weekStart, zeroResults: { gt: 0 } },
      orderBy: [{ zeroResults: "desc" }, { lastSeenAt: "desc" }, { query: "asc" }],
      take: QUERY_TABLE_SIZE,
      select,
    }),
  ]);
  return { week, previous: addDays(week, -7), next: addDays(week, 7), top, zero };
}
