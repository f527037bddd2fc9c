import { fenToDecimal } from "~/lib/money";
import { shanghaiStamp } from "~/lib/time";
import type { ColumnType, DatabaseCsv, ReportFileInput } from "./columns";

// Report files as CSV for Excel: UTF-8 with a BOM, RFC 4180 quoting, money as yuan with two
// decimals, times as "YYYY-MM-DD HH:mm" in Shanghai, and a formula guard: a text cell that
// starts with = + - @, a tab or a CR gets a leading apostrophe, so "=HYPERLINK(…)" stays text.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * One CSV record, as csv-stringify writes it with its defaults (a field with a quote, comma, CR
 * or LF quoted, quotes doubled; "\n" after each record), which tests/unit/report-csv.test.ts
 * holds it to. Hand-joined because csv-stringify's per-field casting was a quarter of an
 * export's CPU at a million rows (docs/perf.md, "County reports").
 */
export function csvRecord(cells: string[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (i > 0) line += ",";
    line += NEEDS_QUOTES.test(cell) ? `"${cell.replace(QUOTE, '""')}"` : cell;
  }
  return `${line}\n`;
}

const BOM = "\ufeff";
/** Rows encoded per pull: the most a stalled reader leaves buffered. */
export const CSV_CHUNK_ROWS = 500;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(
  column: { type: ColumnType },
  value: string | number | Date | null,
  type: ColumnType = column.type,
): string {
  if (value === null || value === undefined) return type === "percent" ? "—" : "";
  switch (type) {
    case "percent":
      return `${Number(value).toFixed(1)}%`;
    case "money":
      return fenToDecimal(Number(value));
    case "number":
      return String(value);
    case "time":
      return shanghaiStamp(value as Date);
    default:
      return guardFormula(String(value));
  }
}

/**
 * A CSV byte stream of the rows. `onDone` gets the number of data rows once the last is written
 * (not if the client goes away first). Pull-based: rows are read only when the reader asks for
 * more, so a slow reader holds back the database read (at most one 500-row chunk is buffered).
 */
export function csvStream<Row>({
  header,
  columns,
  rows,
  lng,
  t,
  onDone,
}: ReportFileInput<Row>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<Row> | null = null;
  let count = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        const text = BOM + csvRecord(header.map(guardFormula));
        started = true;
        controller.enqueue(encoder.encode(text));
        iterator = rows[Symbol.asyncIterator]();
        return;
      }
      // A chunk of up to 500 rows per pull, encoded once.
      let text = "";
      let inChunk = 0;
      let done = false;
      const cells: string[] = new Array<string>(columns.length);
      while (inChunk < CSV_CHUNK_ROWS) {
        const next = await iterator!.next();
        if (next.done) {
          done = true;
          break;
        }
        for (let i = 0; i < columns.length; i++) {
          const c = columns[i]!;
          cells[i] = csvCell(c, c.value(next.value, lng, t), c.typeOf?.(next.value));
        }
        text += csvRecord(cells);
        inChunk++;
      }
      count += inChunk;
      if (inChunk) controller.enqueue(encoder.encode(text));
      if (done) {
        await onDone(count);
        controller.close();
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}

const NEWLINE = 0x0a;

function newlines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * The BOM and header, then the data rows as the database wrote them (orders-csv.cross-shop.server.ts),
 * one chunk (~64 KB) per pull. Progress counts line ends, so a text cell holding a line break
 * runs it slightly ahead; `onDone` gets the database's own row count.
 */
export function csvFromDatabase({
  header,
  csv,
  onDone,
  progress,
  progressEvery,
}: {
  header: string[];
  csv: DatabaseCsv;
  onDone: (count: number) => Promise<void>;
  progress?: (rows: number) => Promise<void>;
  progressEvery: number;
}): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array> | null = null;
  let lines = 0;
  let reported = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!iterator) {
        iterator = csv.chunks[Symbol.asyncIterator]();
        controller.enqueue(new TextEncoder().encode(BOM + csvRecord(header.map(guardFormula))));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        await onDone(csv.rowCount());
        controller.close();
        return;
      }
      controller.enqueue(next.value);
      if (progress) {
        lines += newlines(next.value);
        while (lines - reported >= progressEvery) {
          reported += progressEvery;
          await progress(reported);
        }
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
