import fs from "node:fs";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { expect, test, type Page } from "./support/test";
import { COUNTY_COORDINATOR, lastMonth, lastYear } from "./support/county-coordinator";
import { translator, type Lng } from "./support/i18n";

// Issue #11 end to end, on a desktop (1280 × 800) and a phone (360 × 780), in zh-CN and in en: the
// county coordinator signs in, reads the county's dashboard, filters a month, downloads the
// orders as CSV and as XLSX and reads them back, then asks for an export large enough to run in
// the background, watches its progress and downloads it. The e2e server (tests/e2e/serve.ts)
// fills the county with the demo orders and sets the background threshold low.

const county = JSON.parse(fs.readFileSync("tenants/gaoyou-duck-egg/tenant.json", "utf8")) as {
  county: { code: string; nameZh: string; nameEn: string };
  name: { zh: string; en: string };
};

async function signIn(page: Page, lng: Lng) {
  const t = translator(lng);
  await page.goto("/login");
  await page.getByLabel(t("auth.identifier"), { exact: true }).fill(COUNTY_COORDINATOR.phone);
  await page.getByLabel(t("auth.password"), { exact: true }).fill(COUNTY_COORDINATOR.password);
  await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/county");
  await expect(page).toHaveURL(new RegExp(`/county/${COUNTY_COORDINATOR.county}$`));
}

async function download(page: Page, link: ReturnType<Page["locator"]>) {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return fs.readFileSync((await file.path())!);
}

for (const viewport of [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 360, height: 780 },
]) {
  for (const lng of ["zh-CN", "en"] as const) {
    test.describe(`${viewport.name}, ${lng}`, () => {
      test.use({ locale: lng, viewport: { width: viewport.width, height: viewport.height } });

      test("a coordinator reads the dashboard, filters a month and downloads the orders", async ({ page }) => {
        test.setTimeout(120_000);
        const t = translator(lng);
        const countyName = lng === "en" ? county.county.nameEn : county.county.nameZh;
        await signIn(page, lng);

        // The dashboard: figures, a chart drawn on the server, its numbers in a table.
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(
          t("dashboard.heading", { county: countyName }),
        );
        await page.getByRole("link", { name: t("dashboard.presets.30d"), exact: true }).click();
        await expect(page.locator("figure svg").first()).toBeVisible();
        await expect(page.getByRole("table").first()).toBeVisible();
        await expect(page.getByText(lng === "en" ? county.name.en : county.name.zh).first()).toBeVisible();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, "the dashboard fits the screen").toBeLessThanOrEqual(viewport.width);

        // The orders report, filtered to last month.
        await page
          .getByRole("link", { name: t("reports.nav"), exact: true })
          .first()
          .click();
        await expect(page).toHaveURL(new RegExp(`/county/${COUNTY_COORDINATOR.county}/reports$`));
        await expect(page.getByTestId("report-tabs")).toBeVisible();
        const month = lastMonth();
        await page.getByLabel(t("reports.filters.from"), { exact: true }).fill(month.from);
        await page.getByLabel(t("reports.filters.to"), { exact: true }).fill(month.to);
        await page.getByRole("button", { name: t("reports.filters.apply"), exact: true }).click();
        await expect(page).toHaveURL(new RegExp(`from=${month.from}`));
        await expect(page.getByTestId("report-rows")).toBeVisible();

        const csv = await download(page, page.getByRole("link", { name: t("reports.download.csv"), exact: true }));
        expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const rows = parse(csv.subarray(3).toString("utf8"), { columns: true }) as Record<string, string>[];
        expect(rows.length).toBeGreaterThan(0);

        const xlsx = await download(page, page.getByRole("link", { name: t("reports.download.xlsx"), exact: true }));
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(xlsx as unknown as ArrayBuffer);
        const sheet = book.worksheets[0]!;
        // Title row, header row, then one row per CSV row.
        expect(sheet.actualRowCount).toBe(rows.length + 2);
        expect(String(sheet.getRow(1).getCell(1).value)).toContain(countyName);

        // The whole year holds more lines than the server streams at once: a background export.
        const year = lastYear();
        await page.getByLabel(t("reports.filters.from"), { exact: true }).fill(year.from);
        await page.getByLabel(t("reports.filters.to"), { exact: true }).fill(year.to);
        await page.getByRole("button", { name: t("reports.filters.apply"), exact: true }).click();
        await expect(page).toHaveURL(new RegExp(`from=${year.from}`));
        await page.getByRole("link", { name: t("reports.download.csv"), exact: true }).click();
        await expect(page).toHaveURL(/\/reports\/exports\/[\w-]+$/);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("reportExports.title"));
        // The page refreshes itself (no JavaScript needed) until the file is ready.
        // (Other journeys' exports are listed below it: this one's link is its own URL + /download.)
        const ready = page.locator(`a[href="${new URL(page.url()).pathname}/download"]`).first();
        const progress = page.locator("progress#export-progress");
        await expect(progress.or(ready).first()).toBeVisible();
        await expect(ready).toBeVisible({ timeout: 60_000 });
        const big = await download(page, ready);
        expect([...big.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const all = parse(big.subarray(3).toString("utf8"), { columns: true }) as Record<string, string>[];
        expect(all.length).toBeGreaterThan(rows.length);
      });
    });
  }
}
