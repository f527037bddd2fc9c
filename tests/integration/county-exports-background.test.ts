import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connection, unscopedDb } from "~/db/index.server";
import { resetEnv } from "~/env.server";
import { createI18n } from "~/lib/i18n.server";
import type { CountyAccess } from "~/modules/identity/county-access.server";
import type { SignedInUser } from "~/modules/identity/session.server";
import { runDueJobs } from "~/modules/jobs/queue.server";
import { ORDER_COLUMNS } from "~/modules/reports/columns";
import { csvStream } from "~/modules/reports/csv.server";
import { parseReportFilters } from "~/modules/reports/filters";
import { orderReportRowsByCursor, orderReportRowsByKeyset } from "~/modules/reports/orders-report.cross-shop.server";
import { exportableReport } from "~/modules/reports/export-registry.server";
import { REPORT_EXPORT_JOB, runReportExportJob } from "~/modules/reports/report-export-job.server";
import { exportDownload, sweepExpiredExports } from "~/modules/reports/report-exports.server";
import { createUser, signedIn, type Session } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// Background exports (issue #11): over EXPORT_BACKGROUND_ROWS rows a report file URL answers with
// a 303 to a progress page, a job writes the file (the same rows and sums as a direct download),
// the county's coordinator downloads it for 7 days, then it is a 410 and the sweep deletes it.
// Also: the cursor (PostgreSQL server) and the keyset pages (embedded) give the same bytes.

const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), "storefront-exports-"));
process.env.EXPORTS_DIR = exportsDir;

// Set before the app starts: the app reads its settings once.
process.env.EXPORT_BACKGROUND_ROWS = "2";
resetEnv();

let app: (request: Request) => Promise<Response>;
let coordA: Session;
let coordB: Session;
let accessA: CountyAccess;
let countyA: { id: string; code: string; nameZh: string; nameEn: string };
let countyB: { id: string; code: string };

function get(session: Session, url: string, lang = "zh-CN") {
  const full = new URL(`http://localhost${url}`);
  full.searchParams.set("lng", lang);
  return app(new Request(full, { headers: { Cookie: session.cookie, Accept: "text/html" }, redirect: "manual" }));
}

const records = (text: string) => parse(text.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
const fen = (rows: Record<string, string>[], column: string) =>
  rows.reduce((s, r) => s + Math.round(Number(r[column]) * 100), 0);

async function countySum(countyId: string) {
  const lines = await unscopedDb().shopOrderLine.findMany({
    where: { shop: { countyId } },
    select: { lineTotalFen: true },
  });
  return lines.reduce((s, l) => s + l.lineTotalFen, 0);
}

/** The export id a 303 points to. */
function exportIdOf(res: Response) {
  expect(res.status).toBe(303);
  const location = res.headers.get("Location") ?? "";
  const m = new RegExp(`^/county/${countyA.code}/reports/exports/([a-z0-9]+)$`).exec(location);
  expect(m, location).not.toBeNull();
  return m![1]!;
}

beforeAll(async () => {
  app = await startApp();
  const f = await twoShops();
  const shopA = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_A }, select: { county: true } });
  countyA = shopA.county;
  countyB = (await unscopedDb().shop.findUniqueOrThrow({ where: { slug: SHOP_B }, select: { county: true } })).county;
  await placeTestOrder({
    lines: [
      { variantId: f.a.p6.id, quantity: 2 },
      { variantId: f.a.p12.id, quantity: 1 },
      { variantId: f.b.p6.id, quantity: 3 },
    ],
    contactPhone: "13812341234",
  });
  await placeTestOrder({ lines: [{ variantId: f.a.p12.id, quantity: 1 }], contactPhone: "13900001111" });
  await placeTestOrder({ lines: [{ variantId: f.b.p12.id, quantity: 1 }] });
  const a = await createUser();
  const b = await createUser();
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyA.id, userId: a.id } });
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyB.id, userId: b.id } });
  coordA = await signedIn(a.id);
  coordB = await signedIn(b.id);
  accessA = { user: { id: a.id } as SignedInUser, county: countyA };
});

afterAll(async () => {
  await stopApp();
  fs.rmSync(exportsDir, { recursive: true, force: true });
  delete process.env.EXPORT_BACKGROUND_ROWS;
  delete process.env.EXPORTS_DIR;
  resetEnv();
});

describe("a CSV export over the limit", () => {
  let id = "";
  let direct: Record<string, string>[] = [];

  it("redirects to its page, which shows the queued export, refreshes itself and lists it", async () => {
    // The file a direct download writes, with the same code the file URL uses under the limit.
    const prepared = await exportableReport("orders")!.prepare(new URLSearchParams(), countyA);
    if (!prepared.ok) throw new Error("filters");
    const { t } = await createI18n("zh-CN");
    const file = prepared.prepared.file("csv", { t, lng: "zh-CN", now: new Date(), onDone: async () => undefined });
    direct = records(await new Response(file.body).text());
    expect(direct.length).toBe(3);

    id = exportIdOf(await get(coordA, `/county/${countyA.code}/reports/orders.csv`));
    const row = await unscopedDb().reportExport.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "QUEUED", rowsDone: 0, rowsTotal: 3, report: "orders", format: "csv" });
    expect(await unscopedDb().outboxJob.count({ where: { kind: REPORT_EXPORT_JOB, status: "PENDING" } })).toBe(1);
    // Asking again while it waits does not start a second one.
    expect(exportIdOf(await get(coordA, `/county/${countyA.code}/reports/orders.csv`))).toBe(id);

    const page = await get(coordA, `/county/${countyA.code}/reports/exports/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<progress");
    expect(html).toMatch(/<meta http-equiv="refresh" content="2"/);
    expect(html).toContain("排队中");
    expect(html).toContain("已写入 0 / 3 行");
    const list = await get(coordA, `/county/${countyA.code}/reports/exports`, "en");
    expect(await list.text()).toContain("Orders report · CSV");
  });

  it("the job moves the progress, writes the same rows and sums as the direct file, and logs the export", async () => {
    const seen: { status: string; rowsDone: number }[] = [];
    const result = await runDueJobs({
      handlers: {
        [REPORT_EXPORT_JOB]: (payload) =>
          runReportExportJob(payload, {
            progressEvery: 1,
            afterProgress: async () => {
              seen.push(
                await unscopedDb().reportExport.findUniqueOrThrow({
                  where: { id },
                  select: { status: true, rowsDone: true },
                }),
              );
            },
          }),
      },
    });
    expect(result.done).toBe(1);
    expect(seen.map((s) => s.status)).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
    expect(seen.map((s) => s.rowsDone)).toEqual([1, 2, 3]);
    const row = await unscopedDb().reportExport.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "DONE", rowsDone: 3, rowsTotal: 3, error: null });
    expect(row.expiresAt!.getTime() - row.finishedAt!.getTime()).toBe(7 * 24 * 3_600_000);
    expect(fs.existsSync(path.join(exportsDir, row.fileKey!))).toBe(true);

    const page = await get(coordA, `/county/${countyA.code}/reports/exports/${id}`);
    const html = await page.text();
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain(`/county/${countyA.code}/reports/exports/${id}/download`);

    const file = await get(coordA, `/county/${countyA.code}/reports/exports/${id}/download`);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Type")).toContain("text/csv");
    expect(file.headers.get("Content-Disposition")).toMatch(/attachment; filename="orders-\d{6}-.*\.csv"/);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const background = records(new TextDecoder().decode(bytes));
    expect(background).toEqual(direct);
    expect(fen(background, "小计（元）")).toBe(await countySum(countyA.id));
    expect(background.map((r) => r["手机号"])).toContain("138****1234");

    const events = await unscopedDb().securityEvent.findMany({ where: { type: "export", userId: accessA.user.id } });
    expect(events.map((e) => e.detail)).toContainEqual(
      expect.objectContaining({ county: countyA.code, report: "orders", format: "csv", rows: 3, exportId: id }),
    );
  });

  it("county B's coordinator gets a 404 for the page and the file", async () => {
    expect((await get(coordB, `/county/${countyA.code}/reports/exports/${id}`)).status).toBe(404);
    expect((await get(coordB, `/county/${countyA.code}/reports/exports/${id}/download`)).status).toBe(404);
    // …and under their own county's code the id is not found either.
    expect((await get(coordB, `/county/${countyB.code}/reports/exports/${id}`)).status).toBe(404);
    expect((await get(coordB, `/county/${countyB.code}/reports/exports/${id}/download`)).status).toBe(404);
    expect((await get(coordA, `/county/${countyA.code}/reports/exports/nope!`)).status).toBe(404);
  });

  it("after 7 days the link is a translated 410 and the sweep deletes the file", async () => {
    const row = await unscopedDb().reportExport.findUniqueOrThrow({ where: { id } });
    const later = new Date(row.expiresAt!.getTime() + 1);
    expect((await exportDownload(accessA, id, new Date(row.expiresAt!.getTime() - 60_000))).kind).toBe("file");
    expect((await exportDownload(accessA, id, later)).kind).toBe("gone");

    expect(await sweepExpiredExports(new Date(row.expiresAt!.getTime() - 60_000))).toEqual({ exportFilesRemoved: 0 });
    expect(await sweepExpiredExports(later)).toEqual({ exportFilesRemoved: 1 });
    expect(fs.existsSync(path.join(exportsDir, row.fileKey!))).toBe(false);
    expect((await unscopedDb().reportExport.findUniqueOrThrow({ where: { id } })).fileKey).toBeNull();

    const gone = await get(coordA, `/county/${countyA.code}/reports/exports/${id}/download`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("下载已过期");
    const goneEn = await get(coordA, `/county/${countyA.code}/reports/exports/${id}/download`, "en");
    expect(await goneEn.text()).toContain("Download expired");
    const page = await get(coordA, `/county/${countyA.code}/reports/exports/${id}`);
    expect(await page.text()).toContain("已过期");
  });
});

describe("an XLSX export over the limit", () => {
  it("reads back with the database's sums", async () => {
    const id = exportIdOf(await get(coordA, `/county/${countyA.code}/reports/orders.xlsx?includeContacts=1`));
    expect((await runDueJobs()).done).toBe(1);
    const file = await get(coordA, `/county/${countyA.code}/reports/exports/${id}/download`);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    const headers = (sheet.getRow(2).values as unknown[]).map(String);
    const totalCol = headers.indexOf("小计（元）");
    const mobileCol = headers.indexOf("手机号");
    let sum = 0;
    const mobiles: unknown[] = [];
    for (let r = 3; r <= sheet.rowCount; r++) {
      sum += Math.round(Number(sheet.getRow(r).getCell(totalCol).value) * 100);
      mobiles.push(sheet.getRow(r).getCell(mobileCol).value);
    }
    expect(sheet.rowCount).toBe(2 + 3);
    expect(sum).toBe(await countySum(countyA.id));
    expect(mobiles).toContain("13812341234");
  });
});

describe("the count that decides between a download and a background export", () => {
  async function countWithin(search: string, limit: number) {
    const prepared = await exportableReport("orders")!.prepare(new URLSearchParams(search), countyA);
    if (!prepared.ok) throw new Error("filters");
    return prepared.prepared.count(limit);
  }

  it("is exact whenever the county's shops hold more lines than the limit", async () => {
    // County A's shops hold 3 lines: over a limit of 2 the answer is the filtered rows themselves.
    expect(await countWithin("", 2)).toBe(3);
    expect(await countWithin("status=DELIVERED", 2)).toBe(0);
    expect(await countWithin("from=2001-01-01&to=2001-01-31", 2)).toBe(0);
  });

  it("is a bound within the limit when the shops hold no more lines than it, so the file streams at once", async () => {
    // A filter that keeps no line still counts the shops' 3 lines: a bound, never above the limit.
    expect(await countWithin("from=2001-01-01&to=2001-01-31", 3)).toBe(3);
    expect(await countWithin("", 10)).toBe(3);
    const small = await get(coordA, `/county/${countyA.code}/reports/orders.csv?from=2001-01-01&to=2001-01-31`);
    // The app's limit is 2: the bound (3) is over it, so the exact count (0) decides: a download.
    expect(small.status).toBe(200);
    expect(small.headers.get("Content-Disposition")).toContain("attachment");
  });
});

describe("a failed export", () => {
  it("shows a translated error", async () => {
    // A shop that is not the county's (the filters no longer apply): the job cannot write the file.
    const created = await unscopedDb().reportExport.create({
      data: {
        countyId: countyA.id,
        userId: accessA.user.id,
        report: "orders",
        format: "csv",
        filters: { from: "2026-01-01", to: "2026-01-31", shop: SHOP_B },
        rowsTotal: 10,
      },
    });
    await runReportExportJob({ exportId: created.id });
    const row = await unscopedDb().reportExport.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.status).toBe("FAILED");
    expect(row.error).toBeTruthy();
    const page = await get(coordA, `/county/${countyA.code}/reports/exports/${created.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("文件生成失败");
    expect(html).not.toContain('http-equiv="refresh"');
    const en = await get(coordA, `/county/${countyA.code}/reports/exports/${created.id}`, "en");
    expect(await en.text()).toContain("The file could not be made");
    expect((await get(coordA, `/county/${countyA.code}/reports/exports/${created.id}/download`)).status).toBe(303);
  });
});

describe("the cursor and the keyset pages", () => {
  it("give the same CSV bytes on the same data", async () => {
    const parsed = parseReportFilters(new URLSearchParams({ includeContacts: "1" }));
    if (!parsed.ok) throw new Error(parsed.error);
    const csv = async (rows: AsyncIterable<unknown>) =>
      Buffer.from(
        await new Response(
          csvStream({
            header: ORDER_COLUMNS.map((c) => c.key),
            columns: ORDER_COLUMNS,
            rows: rows as never,
            lng: "zh-CN",
            t: ((key: string) => key) as never,
            onDone: async () => undefined,
          }),
        ).arrayBuffer(),
      );
    for (const countyId of [countyA.id, countyB.id]) {
      const keyset = await csv(orderReportRowsByKeyset({ countyId }, parsed.filters, 1));
      expect(records(keyset.toString("utf8")).length).toBeGreaterThan(0);
      if (!connection().cursor) continue; // the embedded database has no cursor
      const cursor = await csv(orderReportRowsByCursor({ countyId }, parsed.filters, 1));
      expect(cursor.equals(keyset)).toBe(true);
    }
  });

  it("a reader that stops early gives the cursor's connection back", async () => {
    if (!connection().cursor) return;
    const parsed = parseReportFilters(new URLSearchParams());
    if (!parsed.ok) throw new Error(parsed.error);
    for (let i = 0; i < 15; i++) {
      for await (const _row of orderReportRowsByCursor({ countyId: countyA.id }, parsed.filters, 1)) break;
    }
    // The pool has 10 connections: had any stayed taken, this would wait forever.
    expect(await unscopedDb().shop.count()).toBeGreaterThan(0);
  });
});
