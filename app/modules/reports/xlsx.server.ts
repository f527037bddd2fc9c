import { PassThrough, type Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { heapGrowthBound } from "~/lib/heap.server";
import { lazyRequire } from "~/lib/lazy-require.server";
import type { TFunction } from "i18next";
import { SHANGHAI_OFFSET_MS } from "~/lib/time";
import type { ColumnType, ReportColumn, ReportFileInput } from "./columns";

const excel = lazyRequire<typeof ExcelJS>("exceljs");

// Report files as XLSX, streamed: exceljs's WorkbookWriter writes each row as it is committed,
// so memory stays bounded. Each sheet: a title row, a bold frozen header row, column widths, and
// typed cells: counts, money (yuan) and changes (percent) as numbers, times as dates (Shanghai
// wall-clock time).

export const MONEY_FORMAT = '"¥"#,##0.00';
export const TIME_FORMAT = "yyyy-mm-dd hh:mm";
export const PERCENT_FORMAT = "0.0%";

/** Excel has no time zones: a Shanghai wall-clock time is written as that UTC date. */
const shanghaiWallClock = (date: Date) => new Date(date.getTime() + SHANGHAI_OFFSET_MS);

/** One sheet of a workbook: a title row, then the header and the rows. */
export interface XlsxSheet<Row> {
  sheetName: string;
  title: string;
  header: string[];
  columns: ReportColumn<Row>[];
  rows: AsyncIterable<Row> | Iterable<Row>;
}

/** A sheet with its row type erased, so that one workbook can hold sheets of different rows. */
export const xlsxSheet = <Row>(sheet: XlsxSheet<Row>) => sheet as unknown as XlsxSheet<unknown>;

function cellValue(type: ColumnType, v: string | number | Date | null): string | number | Date | null {
  if (v === null || v === undefined) return type === "percent" ? "—" : null;
  if (type === "money") return Number(v) / 100;
  if (type === "time") return shanghaiWallClock(v as Date);
  if (type === "percent") return typeof v === "number" ? v / 100 : v;
  return v;
}

/** The heap may grow this much while a workbook is written before garbage is collected (decision 037). */
export const XLSX_HEAP_GROWTH_MB = 32;
const HEAP_CHECK_EVERY = 2_000;

const FORMATS: Partial<Record<ColumnType, string>> = {
  money: MONEY_FORMAT,
  time: TIME_FORMAT,
  percent: PERCENT_FORMAT,
};

const CELL_STYLES: Record<ColumnType, Partial<ExcelJS.Style>> = {
  text: {},
  number: {},
  money: { numFmt: MONEY_FORMAT },
  time: { numFmt: TIME_FORMAT },
  percent: { numFmt: PERCENT_FORMAT },
};

type Sheet = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter["addWorksheet"]>;

/** A writable stream of Node's or of the readable-stream package (which exceljs's zip uses). */
interface Buffering {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
  destroyed?: boolean;
  on(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
}

const needsDrain = (stream: Buffering) => stream.writableNeedDrain ?? stream._writableState?.needDrain ?? false;

/**
 * The stream through which exceljs hands a sheet's XML to the zip. exceljs ignores its
 * backpressure: committed rows pile up in it, unbounded, whenever the zip (and so `out`, and so
 * the reader) is slower than the rows. It is internal to exceljs (the sheet's buffer pipes into
 * it); the backpressure test notices if a new version moves it.
 */
function sheetPipe(sheet: Sheet): Buffering | null {
  const pipe = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as Buffering | undefined;
  return pipe && typeof pipe.on === "function" && (pipe.writableNeedDrain !== undefined || pipe._writableState)
    ? pipe
    : null;
}

/** Resolves once none of `streams` holds more than its high-water mark (or one is gone). */
async function room(streams: Buffering[]): Promise<void> {
  for (const stream of streams) {
    if (!needsDrain(stream) || stream.destroyed) continue;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off("drain", done);
        stream.off("close", done);
        resolve();
      };
      stream.on("drain", done);
      stream.on("close", done);
    });
  }
}

/**
 * A workbook of one or more sheets, written one after the other, as a Node stream. `onDone` gets
 * the number of data rows of all sheets once the workbook is complete. Backpressure: the producer
 * waits whenever a buffer between it and the reader is full (bounded memory with a slow reader),
 * and stops reading rows once the stream is destroyed.
 */
export function xlsxSheetsNodeStream({
  sheets,
  lng,
  t,
  onDone,
}: {
  sheets: XlsxSheet<unknown>[];
  lng: string;
  t: TFunction;
  onDone: (count: number) => Promise<void>;
}): PassThrough {
  const out = new PassThrough();
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
  (async () => {
    let count = 0;
    const boundHeap = heapGrowthBound(XLSX_HEAP_GROWTH_MB);
    for (const { sheetName, title, header, columns, rows } of sheets) {
      const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 2 }] });
      sheet.columns = columns.map((c) => ({
        key: c.key,
        width: c.width,
        style: FORMATS[c.type] ? { numFmt: FORMATS[c.type] } : {},
      }));
      // Where rows can pile up: in exceljs's pipe into the zip, and in `out` when the reader is slow.
      const buffers = [sheetPipe(sheet), out].filter((b): b is Buffering => b !== null);
      const titleRow = sheet.addRow([title]);
      titleRow.font = { bold: true, size: 13 };
      titleRow.commit();
      const headerRow = sheet.addRow(header);
      headerRow.font = { bold: true };
      headerRow.commit();
      for await (const row of rows) {
        const types = columns.map((c) => c.typeOf?.(row) ?? c.type);
        const added = sheet.addRow(columns.map((c, i) => cellValue(types[i]!, c.value(row, lng, t))));
        // One style object per format, shared by every cell: exceljs recognises an object it has
        // seen (a WeakMap) and otherwise serialises each cell's own copy of its column's style
        // to look it up, a third of an export's CPU.
        for (let i = 0; i < types.length; i++) added.getCell(i + 1).style = CELL_STYLES[types[i]!];
        added.commit();
        if (++count % HEAP_CHECK_EVERY === 0) boundHeap();
        await room(buffers);
        // The reader went away: leaving the loop ends the row source (and frees its cursor).
        if (out.destroyed) return;
      }
      sheet.commit();
    }
    await workbook.commit();
    await onDone(count);
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** The same workbook as a web stream (a Response body). */
export function xlsxSheetsStream(input: Parameters<typeof xlsxSheetsNodeStream>[0]): ReadableStream<Uint8Array> {
  return toWebStream(xlsxSheetsNodeStream(input));
}

export type XlsxInput<Row> = ReportFileInput<Row> & { title: string; sheetName: string };

/** A workbook of one sheet, as a Node stream. */
export function xlsxNodeStream<Row>({ title, sheetName, header, columns, rows, lng, t, onDone }: XlsxInput<Row>) {
  return xlsxSheetsNodeStream({ sheets: [xlsxSheet({ sheetName, title, header, columns, rows })], lng, t, onDone });
}

/** A workbook of one sheet, as a web stream. */
export function xlsxStream<Row>(input: XlsxInput<Row>): ReadableStream<Uint8Array> {
  return toWebStream(xlsxNodeStream(input));
}

/**
 * A Node stream as a web stream that reads one chunk per pull: unlike Readable.toWeb, which
 * queues up to highWaterMark chunks, it keeps the Node stream's backpressure.
 */
export function toWebStream(source: Readable): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
