import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { TFunction } from "i18next";
import { SHANGHAI_OFFSET_MS } from "~/lib/time";
import type { ColumnType, ReportColumn, ReportFileInput } from "./columns";

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

const FORMATS: Partial<Record<ColumnType, string>> = {
  money: MONEY_FORMAT,
  time: TIME_FORMAT,
  percent: PERCENT_FORMAT,
};

/**
 * A workbook of one or more sheets, written one after the other. `onDone` gets the number of
 * data rows of all sheets once the workbook is complete.
 */
export function xlsxSheetsStream({
  sheets,
  lng,
  t,
  onDone,
}: {
  sheets: XlsxSheet<unknown>[];
  lng: string;
  t: TFunction;
  onDone: (count: number) => Promise<void>;
}): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  (async () => {
    let count = 0;
    for (const { sheetName, title, header, columns, rows } of sheets) {
      const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 2 }] });
      sheet.columns = columns.map((c) => ({
        key: c.key,
        width: c.width,
        style: FORMATS[c.type] ? { numFmt: FORMATS[c.type] } : {},
      }));
      const titleRow = sheet.addRow([title]);
      titleRow.font = { bold: true, size: 13 };
      titleRow.commit();
      const headerRow = sheet.addRow(header);
      headerRow.font = { bold: true };
      headerRow.commit();
      for await (const row of rows) {
        const types = columns.map((c) => c.typeOf?.(row) ?? c.type);
        const added = sheet.addRow(columns.map((c, i) => cellValue(types[i]!, c.value(row, lng, t))));
        types.forEach((type, i) => {
          const format = FORMATS[type];
          if (format) added.getCell(i + 1).numFmt = format;
        });
        added.commit();
        count++;
      }
      sheet.commit();
    }
    await workbook.commit();
    await onDone(count);
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

/** A workbook of one sheet. */
export function xlsxStream<Row>({
  title,
  sheetName,
  header,
  columns,
  rows,
  lng,
  t,
  onDone,
}: ReportFileInput<Row> & { title: string; sheetName: string }): ReadableStream<Uint8Array> {
  return xlsxSheetsStream({
    sheets: [xlsxSheet({ sheetName, title, header, columns, rows })],
    lng,
    t,
    onDone,
  });
}
