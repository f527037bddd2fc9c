import v8 from "node:v8";
import { describe, expect, it, vi } from "vitest";
import { heapGrowthBound } from "~/lib/heap.server";
import { ORDER_COLUMNS } from "~/modules/reports/columns";
import { orderReportRows, REPORT_CURSOR_BATCH } from "~/modules/reports/orders-report.cross-shop.server";
import { xlsxNodeStream } from "~/modules/reports/xlsx.server";

// A million-row XLSX export keeps the app's memory bounded (issue #11, decision 037): its
// garbage is collected once the heap has grown by a bound, and the server's cursor fetches few
// rows at a time, so that rows do not outlive young collections and fill the old generation.

const usedMb = () => v8.getHeapStatistics().used_heap_size / 1024 / 1024;

describe("heap growth bound", () => {
  it("collects the garbage once the heap has grown past the bound, and not before", () => {
    const check = heapGrowthBound(16);
    expect(check()).toBe(false);
    // ~40 MB of objects kept long enough to reach the old generation, then dropped.
    let kept: { i: number; s: string }[] | null = [];
    for (let i = 0; i < 400_000; i++) kept.push({ i, s: `row ${i} ${"x".repeat(40)}` });
    expect(kept.length).toBe(400_000);
    kept = null;
    const before = usedMb();
    expect(check()).toBe(true);
    expect(usedMb()).toBeLessThan(before - 20);
    // Measured again from the collection: nothing more to do.
    expect(check()).toBe(false);
  });

  it("the XLSX writer checks the bound while it writes", async () => {
    const spy = vi.spyOn(v8, "getHeapStatistics");
    async function* rows() {
      for (let i = 0; i < 4_100; i++) yield { orderNumber: "O1", quantity: 1 };
    }
    const columns = ORDER_COLUMNS.filter((c) => c.key === "orderNumber" || c.key === "quantity");
    const out = xlsxNodeStream({
      title: "t",
      sheetName: "s",
      header: columns.map((c) => c.key),
      columns: columns as never,
      rows: rows(),
      lng: "zh-CN",
      t: ((key: string) => key) as never,
      onDone: async () => undefined,
    });
    for await (const _chunk of out) void _chunk;
    // Once when it starts, then every 2,000 rows.
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(3);
    spy.mockRestore();
  });
});

describe("the orders report's cursor", () => {
  it(`fetches ${REPORT_CURSOR_BATCH} rows at a time on a server`, async () => {
    const batches: number[] = [];
    const reader = {
      cursor: (_sql: string, _params: unknown[], batchSize: number) => {
        batches.push(batchSize);
        return (async function* () {})();
      },
      prisma: { shop: { findMany: async () => [] }, pickupPoint: { findMany: async () => [] } },
    };
    const filters = { start: new Date(0), end: new Date(1), includeContacts: false } as never;
    for await (const _row of orderReportRows({ countyId: "c" }, filters, undefined, reader as never)) void _row;
    expect(batches).toEqual([100]);
    expect(REPORT_CURSOR_BATCH).toBeLessThanOrEqual(200);
  });
});
