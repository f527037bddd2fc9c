import { PassThrough, Readable } from "node:stream";
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
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 2 }] });
  sheet.columns = columns.map((c) => ({
    key: c.key,
    width: c.width,
    style: c.type === "money" ? { numFmt: MONEY_FORMAT } : c.type === "time" ? { numFmt: TIME_FORMAT } : {},
  }));
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
        const v = c.value(row, lng, t);
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
    }
    sheet.commit();
    await workbook.commit();
    await onDone(count);
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}
