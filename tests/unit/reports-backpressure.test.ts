import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { ORDER_COLUMNS } from "~/modules/reports/columns";
import { CSV_CHUNK_ROWS, csvStream } from "~/modules/reports/csv.server";
import type { OrderReportRow } from "~/modules/reports/orders-report.cross-shop.server";
import { xlsxNodeStream } from "~/modules/reports/xlsx.server";

// Report files hold back their row source when the reader is slow (issue #11: bounded memory):
// the XLSX writer waits while its output stream is full, and the CSV stream only reads rows when
// asked for more. Measured on the streams' own buffers and on how far the rows run ahead.

const ROWS = 20_000;
const header = ORDER_COLUMNS.map((c) => c.key);

function row(i: number): OrderReportRow {
  const at = new Date(Date.UTC(2026, 10, 1, 2, 0, 0) + i * 60_000);
  return {
    lineId: `line${String(i).padStart(8, "0")}`,
    orderNumber: `O${100000 + i}`,
    shopOrderNumber: `O${100000 + i}-1`,
    placedAt: at,
    paidAt: at,
    packedAt: null,
    handedOverAt: null,
    deliveredAt: null,
    shopSlug: "shop",
    shopNameZh: `合作社${i % 17}`,
    shopNameEn: `Co-op ${i % 17}`,
    villageZh: "村",
    villageEn: "Village",
    titleZh: `商品 ${i}`,
    titleEn: null,
    kind: "PRODUCE",
    variantTitleZh: "5斤",
    variantTitleEn: null,
    quantity: 1 + (i % 3),
    unitPriceFen: 1000 + i,
    lineTotalFen: (1 + (i % 3)) * (1000 + i),
    shippingFen: i % 2 ? 0 : 800,
    refundedFen: 0,
    status: "PAID",
    delivery: "HOME",
    pickupPointZh: null,
    pickupPointEn: null,
    waybillNo: null,
    buyerName: `买家${i}`,
    buyerMobile: "138****1234",
  };
}

/** A row source that counts how many rows were taken and calls `sample` before each. */
function source(sample: () => void) {
  const taken = { count: 0 };
  async function* rows() {
    for (let i = 0; i < ROWS; i++) {
      sample();
      taken.count++;
      yield row(i);
    }
  }
  return { taken, rows: rows() };
}

/** Lets timers and I/O run until `count()` stops moving (or a second has gone). */
async function settle(count: () => number) {
  let last = -1;
  for (let i = 0; i < 50 && count() !== last; i++) {
    last = count();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("XLSX backpressure", () => {
  it("a reader that does not read stops the writer early; a slow reader never sees the stream buffer more than a bound, and gets every row", async () => {
    let out: ReturnType<typeof xlsxNodeStream> | null = null;
    let most = 0;
    const measure = () => {
      if (out) most = Math.max(most, out.readableLength + out.writableLength);
    };
    const { taken, rows } = source(measure);
    let done = -1;
    out = xlsxNodeStream({
      title: "title",
      sheetName: "sheet",
      header,
      columns: ORDER_COLUMNS,
      rows,
      lng: "zh-CN",
      t: ((key: string) => key) as never,
      onDone: async (n) => void (done = n),
    });

    // Nobody reads yet: the writer must stop once the buffers between it and the reader are full.
    await settle(() => taken.count);
    expect(taken.count).toBeGreaterThan(0);
    expect(taken.count).toBeLessThan(ROWS / 2);

    // A slow reader: one chunk, then a pause.
    const chunks: Buffer[] = [];
    for await (const chunk of out) {
      measure();
      chunks.push(chunk as Buffer);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(taken.count).toBe(ROWS);
    expect(done).toBe(ROWS);
    // The PassThrough's two sides hold at most their high-water marks and one chunk of the zip.
    expect(most).toBeLessThanOrEqual(256 * 1024);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(ROWS + 2);
    const qtyCol = header.indexOf("quantity") + 1;
    let quantity = 0;
    for (let r = 3; r <= sheet.rowCount; r++) quantity += Number(sheet.getRow(r).getCell(qtyCol).value);
    let expected = 0;
    for (let i = 0; i < ROWS; i++) expected += 1 + (i % 3);
    expect(quantity).toBe(expected);
  }, 120_000);

  it("a reader that goes away ends the row source", async () => {
    const { taken, rows } = source(() => undefined);
    let ended = false;
    async function* tracked() {
      try {
        yield* rows;
      } finally {
        ended = true;
      }
    }
    const out = xlsxNodeStream({
      title: "t",
      sheetName: "s",
      header,
      columns: ORDER_COLUMNS,
      rows: tracked(),
      lng: "zh-CN",
      t: ((key: string) => key) as never,
      onDone: async () => undefined,
    });
    for await (const _chunk of out) break; // destroys the stream
    await settle(() => taken.count);
    expect(ended).toBe(true);
    expect(taken.count).toBeLessThan(ROWS);
  }, 60_000);
});

describe("CSV backpressure", () => {
  it("rows are read only as the reader asks: a stalled reader holds the source a chunk ahead", async () => {
    const { taken, rows } = source(() => undefined);
    const stream = csvStream({
      header,
      columns: ORDER_COLUMNS,
      rows,
      lng: "zh-CN",
      t: ((key: string) => key) as never,
      onDone: async () => undefined,
    });
    const reader = stream.getReader();
    await reader.read(); // the header
    await reader.read(); // the first chunk of rows
    await settle(() => taken.count);
    expect(taken.count).toBeLessThanOrEqual(3 * CSV_CHUNK_ROWS);
    let bytes = 0;
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      bytes += next.value.byteLength;
    }
    expect(bytes).toBeGreaterThan(0);
    expect(taken.count).toBe(ROWS);
  }, 60_000);
});
