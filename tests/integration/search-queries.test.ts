import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { shanghaiMonth } from "~/lib/time";
import { flushSearchLog, LOGGED_QUERY_MAX, logSearch, parseWeek, weekStartOf } from "~/modules/search/query-log.server";
import { loader as searchLoader } from "~/routes/search";
import { loader as suggestLoader } from "~/routes/search.suggest";
import { loader as queriesLoader } from "~/routes/platform.search_.queries";
import { createUser, getAs, run, signedIn, type Session } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { importMarket, listedProducts } from "./market-fixtures";

// The weekly query log (what buyers search for, what finds nothing), the platform admin's page
// that shows it, and the page a search that found nothing shows (docs/decisions/026-search-queries.md).

const BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
const QUERIES = "http://localhost/platform/search/queries";

let platformAdmin: Session;
let buyer: Session;

type SearchData = {
  results: { total: number };
  suggestions: {
    nearest: { href: string; product: { title: string } }[];
    inSeason: { href: string }[];
  } | null;
};

async function search(q: string, { lng = "zh-CN", userAgent = BROWSER, page = 1 } = {}) {
  const url = `http://localhost/search?q=${encodeURIComponent(q)}&lng=${lng}${page > 1 ? `&page=${page}` : ""}`;
  const response = await run(searchLoader, new Request(url, { headers: { "User-Agent": userAgent } }));
  expect(response.status).toBe(200);
  return response.data as unknown as SearchData;
}

// Counts are written in batches (decision 035): what was counted is written once flushed.
const row = async (query: string, week = weekStartOf()) => {
  await flushSearchLog();
  return db().searchQueryWeek.findUnique({
    where: { weekStart_query: { weekStart: new Date(`${week}T00:00:00Z`), query } },
  });
};

beforeAll(async () => {
  await importMarket();
  platformAdmin = await signedIn((await createUser({ name: "平台管理员", isPlatformAdmin: true })).id);
  buyer = await signedIn((await createUser({ name: "买家" })).id);
}, 300_000); // importing the demo catalogue is slow on a busy machine

describe("the weekly query log", () => {
  it("counts each submitted search of a query in one row per week, with its results", async () => {
    const first = await search("大闸蟹");
    expect(first.results.total).toBeGreaterThan(0);
    await search("  大闸蟹 ");
    await search("大閘蟹"); // traditional characters are folded as search folds them
    const counted = await row("大闸蟹");
    expect(counted).toMatchObject({ searches: 3, zeroResults: 0, lastResults: first.results.total });
    expect(await db().searchQueryWeek.count({ where: { query: { contains: "閘" } } })).toBe(0);
  });

  it("counts searches that found nothing apart, and not crawlers, the suggestions or later pages", async () => {
    const nothing = await search("zzqqxx");
    expect(nothing.results.total).toBe(0);
    await search("zzqqxx", { lng: "en" });
    await search("zzqqxx", {
      userAgent: "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    });
    expect(await row("zzqqxx")).toMatchObject({ searches: 2, zeroResults: 2, lastResults: 0 });

    // Keystrokes in the box are not searches.
    const suggested = await suggestLoader({
      request: new Request(`http://localhost/search/suggest?q=${encodeURIComponent("阳山")}`),
      params: {},
      context: {},
    });
    expect(suggested.status).toBe(200);
    expect(await row("阳山")).toBeNull();

    // The second page of a search is the same search.
    const all = await search("茶");
    expect(all.results.total).toBeGreaterThan(0);
    const before = (await row("茶"))!.searches;
    await run(
      searchLoader,
      new Request(`http://localhost/search?q=${encodeURIComponent("茶")}&page=2`, {
        headers: { "User-Agent": BROWSER },
      }),
    );
    expect((await row("茶"))!.searches).toBe(before);
  });

  it("adds up a burst of one search in one row, with the latest search's results", async () => {
    const request = new Request("http://localhost/search?q=burst", { headers: { "User-Agent": BROWSER } });
    const at = (s: number) => new Date(Date.UTC(2025, 10, 18, 2, 0, s));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        logSearch({ q: "桃 burst", results: i === 49 ? 7 : 3, request, now: at(i) }),
      ),
    );
    await logSearch({ q: "桃 burst", results: 0, request, now: at(0) }); // an older search, written later
    expect(await row("桃 burst", "2025-11-17")).toMatchObject({ searches: 51, zeroResults: 1, lastResults: 7 });
    await logSearch({ q: "桃 burst", results: 9, request, now: at(59) });
    expect(await row("桃 burst", "2025-11-17")).toMatchObject({ searches: 52, zeroResults: 1, lastResults: 9 });
  });

  it("puts a search in the Shanghai week it was made in (weeks start on Monday, 00:00 in Shanghai)", async () => {
    const request = new Request("http://localhost/search?q=week", { headers: { "User-Agent": BROWSER } });
    // Sunday 30 November 2025, 23:59:59 in Shanghai, and Monday 1 December 00:00.
    await logSearch({ q: "周界", results: 1, request, now: new Date("2025-11-30T15:59:59Z") });
    await logSearch({ q: "周界", results: 0, request, now: new Date("2025-11-30T16:00:00Z") });
    await logSearch({ q: "周界", results: 0, request, now: new Date("2025-12-07T15:59:59Z") });
    expect(await row("周界", "2025-11-24")).toMatchObject({ searches: 1, zeroResults: 0 });
    expect(await row("周界", "2025-12-01")).toMatchObject({ searches: 2, zeroResults: 2 });
    expect(weekStartOf(new Date("2025-11-30T16:00:00Z"))).toBe("2025-12-01");
    expect(weekStartOf(new Date("2025-11-30T15:59:59Z"))).toBe("2025-11-24");
    expect(parseWeek("2026-12-03")).toBe("2026-11-30");
    expect(parseWeek("2026-02-30", new Date("2026-12-02T00:00:00Z"))).toBe("2026-11-30");
    expect(parseWeek("not a date", new Date("2026-12-02T00:00:00Z"))).toBe("2026-11-30");
  });

  it("keeps at most 100 characters of a query, and never fails a search it cannot count", async () => {
    const request = new Request("http://localhost/search", { headers: { "User-Agent": BROWSER } });
    const long = "桃".repeat(60) + "a".repeat(240);
    await logSearch({ q: long, results: 0, request });
    await flushSearchLog();
    const stored = await db().searchQueryWeek.findFirstOrThrow({ where: { query: { startsWith: "桃桃桃" } } });
    expect([...stored.query]).toHaveLength(LOGGED_QUERY_MAX);

    const spy = vi.spyOn(db(), "$executeRaw").mockRejectedValue(new Error("database is down"));
    try {
      const found = await search("碧螺春");
      expect(found.results.total).toBeGreaterThan(0);
      await flushSearchLog(); // the batch's write fails: logged, the counts dropped, nothing thrown
    } finally {
      spy.mockRestore();
    }
    expect(await row("碧螺春")).toBeNull();
  });
});

describe("/platform/search/queries", () => {
  it("shows the platform admin a week's top queries and those that found nothing", async () => {
    const page = await run(queriesLoader, getAs(platformAdmin, QUERIES));
    expect(page.status).toBe(200);
    const data = page.data as unknown as {
      week: string;
      previous: string;
      next: string;
      top: { query: string; searches: number; lastResults: number }[];
      zero: { query: string; zeroResults: number }[];
    };
    expect(data.week).toBe(weekStartOf());
    expect(data.top[0]).toMatchObject({ query: "大闸蟹", searches: 3 });
    expect(data.top.map((r) => r.query)).toContain("茶");
    expect(data.zero.map((r) => r.query)).toContain("zzqqxx");
    expect(data.zero.map((r) => r.query)).not.toContain("大闸蟹");

    const past = await run(queriesLoader, getAs(platformAdmin, `${QUERIES}?week=2025-12-03`));
    const week = past.data as unknown as typeof data;
    expect(week).toMatchObject({ week: "2025-12-01", previous: "2025-11-24", next: "2025-12-08" });
    expect(week.zero).toEqual([expect.objectContaining({ query: "周界", zeroResults: 2 })]);

    const empty = await run(queriesLoader, getAs(platformAdmin, `${QUERIES}?week=2020-01-06`));
    expect(empty.data).toMatchObject({ top: [], zero: [] });
  });

  it("is for the platform admin only", async () => {
    expect((await run(queriesLoader, getAs(buyer, QUERIES))).status).toBe(403);
    const anonymous = await run(queriesLoader, getAs(null, QUERIES));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
  });

  it("is platform-owned: no shop, no user, no address in its rows", async () => {
    const columns = await unscopedDb().$queryRaw<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'SearchQueryWeek' ORDER BY column_name`;
    expect(columns.map((c) => c.column_name)).toEqual([
      "lastResults",
      "lastSeenAt",
      "query",
      "searches",
      "weekStart",
      "zeroResults",
    ]);
  });
});

describe("a search that found nothing", () => {
  it("offers the nearest products by a looser match, and what is in season", async () => {
    const found = await search("蟹粉小笼");
    expect(found.results.total).toBe(0);
    const nearest = found.suggestions!.nearest;
    expect(nearest.length).toBeGreaterThan(0);
    expect(nearest[0]!.href).toMatch(/^\/s\/(yangcheng-crab|xinghua-crab)\//);
    expect(nearest.every((card) => !card.href.startsWith("/s/market-"))).toBe(true);

    const month = shanghaiMonth(new Date());
    const seasonal = new Set(
      (await listedProducts())
        .filter((p) => p.harvestMonths.includes(month))
        .map((p) => `/s/${p.shop.slug}/p/${p.slug}`),
    );
    const inSeason = found.suggestions!.inSeason;
    expect(inSeason.length).toBe(Math.min(4, seasonal.size));
    for (const card of inSeason) expect(seasonal.has(card.href)).toBe(true);
  });

  it("offers no nearest products when nothing is near, and none of this when the search found something", async () => {
    const far = await search("zzqqxx");
    expect(far.suggestions!.nearest).toEqual([]);
    expect((await search("桃")).suggestions).toBeNull();
  });
});

describe("the pages as served", () => {
  let app: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    app = await startApp();
  }, 300_000);
  afterAll(async () => {
    await stopApp();
  });
  const html = async (url: string, session: Session | null = null) => {
    const response = await app(getAs(session, url));
    expect(response.status).toBe(200);
    return response.text();
  };

  it("say clearly that nothing was found, in zh-CN and en, with near matches, the season and what to try", async () => {
    const q = encodeURIComponent("蟹粉小笼");
    const zh = await html(`http://localhost/search?q=${q}&lng=zh-CN`);
    for (const text of [
      "没有找到“蟹粉小笼”相关的商品",
      "相近的商品",
      "当季鲜品",
      "可以试试",
      "拼音或首字母也能搜",
      "大闸蟹",
    ])
      expect(zh).toContain(text);
    const en = await html(`http://localhost/search?q=${q}&lng=en`);
    for (const text of [
      "Nothing found for “蟹粉小笼”",
      "Close matches",
      "In season now",
      "Things to try",
      "Pinyin or initials",
    ])
      expect(en).toContain(text);
    // Without JavaScript the box is the plain text box of a GET form to /search.
    expect(zh).toMatch(/<form[^>]*method="get"[^>]*action="\/search"/);
    expect(zh).not.toContain('role="combobox"');
  });

  it("escape the query they repeat", async () => {
    const page = await html(`http://localhost/search?q=${encodeURIComponent("<b>x</b>")}&lng=en`);
    expect(page).not.toContain("<b>x</b>");
    expect(page).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it("let the platform admin add a synonym for a query that found nothing, prefilled", async () => {
    const page = await html(QUERIES, platformAdmin);
    expect(page).toContain("没有结果的搜索");
    expect(page).toContain(`href="/platform/search?words=zzqqxx%20#add-synonym"`);
    const synonyms = await html("http://localhost/platform/search?words=zzqqxx%20", platformAdmin);
    expect(synonyms).toContain('href="/platform/search/queries"');
    expect(synonyms).toMatch(/<input[^>]*name="words"[^>]*value="zzqqxx "/);
  });
});
