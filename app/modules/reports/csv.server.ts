import { stringify } from "csv-stringify/sync";
import { fenToDecimal } from "~/lib/money";
import { shanghaiStamp } from "~/lib/time";
import type { ColumnType, ReportFileInput } from "./columns";

// Report files as CSV for Excel: UTF-8 with a BOM, RFC 4180 quoting, money as yuan with two
// decimals, times as "YYYY-MM-DD HH:mm" in Shanghai, and a formula guard: a text cell that
// starts with = + - @, a tab or a CR gets a leading apostrophe, so "=HYPERLINK(…)" stays text.

const FORMULA_START = /^[=+\-@\t\r]/;

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
 * more, so a slow reader holds back the database read (at most one 200-row chunk is buffered).
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
  // One synchronous stringify per chunk: a stringifier (a stream) per row cost ~80% of the CPU
  // at a million rows (docs/perf.md, "County reports").
  const lines = (records: string[][], bom = false) => stringify(records, { bom });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        const text = lines([header.map(guardFormula)], true);
        started = true;
        controller.enqueue(encoder.encode(text));
        iterator = rows[Symbol.asyncIterator]();
        return;
      }
      // A chunk of up to 200 rows per pull.
      const records: string[][] = [];
      let done = false;
      while (records.length < 200) {
        const next = await iterator!.next();
        if (next.done) {
          done = true;
          break;
        }
        records.push(columns.map((c) => csvCell(c, c.value(next.value, lng, t), c.typeOf?.(next.value))));
      }
      count += records.length;
      if (records.length) controller.enqueue(encoder.encode(lines(records)));
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
