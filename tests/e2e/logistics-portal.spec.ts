import { execFileSync } from "node:child_process";
import { expect, test } from "./support/test";
import { translator, type Lng } from "./support/i18n";

// Issue #10, the partner portal on a 360 × 780 phone, in zh-CN and in en: a logistics
// partner's staff member signs in, opens today's pickup run, marks the cooperative's stop
// collected and the parcel delivered; the cooperative's shop order becomes DELIVERED.
// The partner, its staff and a packed order are made by tests/e2e/support/logistics-portal-setup.ts
// through the app's module functions on the end-to-end database (a PostgreSQL server).

function e2eDatabaseUrl(): string | null {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) return null;
  const url = new URL(server);
  url.pathname = `/${process.env.E2E_DB_NAME ?? "storefront_e2e"}`;
  return url.toString();
}

function script(...args: string[]): Record<string, string> {
  const out = execFileSync("npx", ["tsx", "tests/e2e/support/logistics-portal-setup.ts", ...args], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl()!, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!) as Record<string, string>;
}

for (const lng of ["zh-CN", "en"] as Lng[]) {
  test.describe(`partner portal (${lng})`, () => {
    test.skip(!e2eDatabaseUrl(), "needs TEST_DATABASE_URL: the setup writes to the end-to-end database on the server");
    test.use({ locale: lng === "en" ? "en-US" : "zh-CN", viewport: { width: 360, height: 780 } });
    const t = translator(lng);

    test("staff collect at a stop and mark the parcel delivered; the shop order is DELIVERED", async ({ page }) => {
      test.setTimeout(90_000);
      const data = script("setup", lng);

      await page.goto("/logistics");
      await expect(page).toHaveURL(/\/login\?redirectTo=/);
      await page.getByLabel(t("auth.identifier"), { exact: true }).fill(data.phone!);
      await page.getByLabel(t("auth.password"), { exact: true }).fill(data.password!);
      await page.getByRole("button", { name: t("auth.signIn"), exact: true }).click();
      await expect(page).toHaveURL(/\/logistics$/);
      await expect(page.getByRole("heading", { name: t("portal.runs.title") })).toBeVisible();

      // Today's run of this partner: 白兔镇, one stop with one parcel.
      const run = page.getByRole("link", { name: /白兔镇/ });
      await expect(run).toHaveCount(1);
      await expect(run).toContainText(t("portal.runs.stops", { collected: 0, count: 1 }));
      await run.click();
      await expect(page).toHaveURL(/\/logistics\/runs\/[^/]+$/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      // The run's CSV at /logistics/runs/:id.csv: a download for Excel, not the page.
      const csv = await page.request.get(`${new URL(page.url()).pathname}.csv`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
      expect(await csv.text()).toContain(data.orderNumber!);

      const stop = page.getByTestId("stop");
      await expect(stop).toHaveCount(1);
      await stop.getByRole("button", { name: t("portal.stop.collect"), exact: true }).click();
      await expect(page.getByRole("status")).toHaveText(t("portal.stop.collectedNotice"));
      await expect(stop).toContainText(t("portal.stop.collectedAt", { time: "" }).replace(/\s*$/, ""));

      await stop.getByRole("link", { name: t("portal.stop.parcels") }).click();
      await expect(page).toHaveURL(/\/stops\//);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const parcel = page.getByTestId("shipment").filter({ hasText: data.orderNumber! });
      await expect(parcel.getByTestId("shipment-status")).toHaveText(t("portal.shipment.status.picked_up"));
      await parcel.getByRole("button", { name: t("portal.shipment.delivered"), exact: true }).click();
      await expect(page.getByRole("status")).toHaveText(
        t("portal.shipment.recorded", { event: t("portal.shipment.delivered") }),
      );
      await expect(parcel.getByTestId("shipment-status")).toHaveText(t("portal.shipment.status.delivered"));

      expect(script("status", data.shopOrderId!).status).toBe("DELIVERED");
    });
  });
}
