import { PassThrough, type Readable } from "node:stream";
import ExcelJS from "exceljs";
import { SHANGHAI_OFFSET_MS } from "~/lib/time";
import type { ReportFileInput } from "./columns";

// Report files as XLSX, streamed: exceljs's WorkbookWriter writes each row as it is committed,
// so memory stays bounded. A title row, a bold frozen header row, column widths, and typed cells:
// counts and money (yuan) as numbers, times as dates (Shanghai wall-clock time).

export const MONEY_FORMAT = '"¥"#,##0.00';
export const TIME_FORMAT = "yyyy-mm-dd hh:mm";

/** Excel has no time zones: a Shanghai wall-clock time is written as that UTC date. */
const shanghaiWallClock = (date: Date) => new Date(date.getTime() + SHANGHAI_OFFSET_MS);

export type XlsxInput<Row> = ReportFileInput<Row> & { title: string; sheetName: string };

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
 * The workbook as a Node stream. Backpressure: the producer waits whenever a buffer between it
 * and the reader is full (bounded memory with a slow reader), and stops reading rows once the
 * stream is destroyed.
 */
export function xlsxNodeStream<Row>({
  title,
  sheetName,
  header,
  columns,
  rows,
  lng,
  onDone,
}: XlsxInput<Row>): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 2 }] });
  sheet.columns = columns.map((c) => ({
    key: c.key,
    width: c.width,
    style: c.type === "money" ? { numFmt: MONEY_FORMAT } : c.type === "time" ? { numFmt: TIME_FORMAT } : {},
  }));
  // Where rows can pile up: in exceljs's pipe into the zip, and in `out` when the reader is slow.
  const buffers = [sheetPipe(sheet), out].filter((s): s is Buffering => s !== null);
  (async () => {
    const titleRow = sheet.addRow([title]);
    titleRow.font = { bold: true, size: 13 };
    titleRow.commit();
    const headerRow = sheet.addRow(header);
    headerRow.font = { bold: true };
    headerRow.commit();
    let count = 0;
    for await (const row of rows) {
      const values = columns.map((c) => {
        const v = c.value(row, lng);
        if (v === null || v === undefined) return null;
        if (c.type === "money") return Number(v) / 100;
        if (c.type === "time") return shanghaiWallClock(v as Date);
        return v;
      });
      const added = sheet.addRow(values);
      columns.forEach((c, i) => {
        if (c.type === "money") added.getCell(i + 1).numFmt = MONEY_FORMAT;
        else if (c.type === "time") added.getCell(i + 1).numFmt = TIME_FORMAT;
      });
      added.commit();
      count++;
      await room(buffers);
      // The reader went away: leaving the loop ends the row source (and frees its cursor).
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
    await onDone(count);
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** The workbook as a web stream (a Response body). */
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
