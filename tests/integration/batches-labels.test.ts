import QRCode from "qrcode";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { groupedCode, LargeTraceLabel, SmallTraceLabel, type TraceLabelData } from "~/components/trace-label";
import { createI18n } from "~/lib/i18n.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { loader as labelsLoader } from "~/routes/admin.$shop.batches.$batch.labels";
import { loader as qrLoader } from "~/routes/admin.$shop.batches.$batch.qr[.svg]";
import { addMember, createUser, getAs, run, signedIn, type Session } from "../support/auth";
import { samplePack, writePacks } from "../support/packs";

/** The data a loader or action returned (run() types it loosely). */
const dataOf = <T>(result: { data?: unknown }) => result.data as T;

// Printable labels and the QR download: the QR code is the qrcode package's rendering of
// exactly <origin>/t/<code>, and the label carries the code and the 合格证 essentials.

const A = "label-alpha";
const B = "label-beta";
let batchA: { id: string; traceCode: string };
let batchB: { id: string };
let owner: Session;
let coordinator: Session;

beforeAll(async () => {
  const results = await syncTenants(writePacks([samplePack(A), samplePack(B, "320507")]));
  expect(results.every((r) => r.ok)).toBe(true);
  const shopA = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: A } });
  const shopB = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: B } });
  batchA = await db().batch.findFirstOrThrow({ where: { shopId: shopA.id } });
  batchB = await db().batch.findFirstOrThrow({ where: { shopId: shopB.id } });
  const [o, c] = await Promise.all([createUser(), createUser()]);
  await addMember(shopA.id, o.id, "OWNER");
  await db().countyCoordinator.create({ data: { countyId: shopA.countyId, userId: c.id } });
  [owner, coordinator] = await Promise.all([signedIn(o.id), signedIn(c.id)]);
});

const expectedSvg = (url: string) => QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 1 });

async function render(element: React.ReactElement, lng: "zh-CN" | "en" = "zh-CN") {
  const i18n = await createI18n(lng);
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, element));
}

describe("labels", () => {
  it("makes a sheet whose QR code encodes exactly the public trace URL, on the configured origin", async () => {
    // The host the admin happened to use (or a forged one) never reaches a printed label.
    const origin = "http://localhost";
    const result = await run(
      labelsLoader,
      getAs(owner, `https://shop.example.cn/admin/${A}/batches/${batchA.id}/labels`),
      {
        shop: A,
        batch: batchA.id,
      },
    );
    expect(result.status).toBe(200);
    const { label, single } = dataOf<{ label: TraceLabelData; single: boolean }>(result);
    expect(single).toBe(false);
    expect(label.url).toBe(`${origin}/t/${batchA.traceCode}`);
    expect(label.qrSvg).toBe(await expectedSvg(`${origin}/t/${batchA.traceCode}`));
    expect(label.qrSvg).toMatch(/^<svg[^>]*viewBox="0 0 \d+ \d+"/);
    expect(label).toMatchObject({
      productName: "水蜜桃",
      harvestDate: "2026-07-10",
      producer: "测试合作社",
      origin: "无锡",
      contactPhone: "13800000000",
      cooperative: `${A} 合作社`,
    });
  });

  it("prints the code, the product, the harvest date, the cooperative and the 合格证 on each label", async () => {
    const result = await run(
      labelsLoader,
      getAs(owner, `http://localhost/admin/${A}/batches/${batchA.id}/labels?single=1`),
      { shop: A, batch: batchA.id },
    );
    const { label, single } = dataOf<{ label: TraceLabelData; single: boolean }>(result);
    expect(single).toBe(true);
    for (const element of [createElement(SmallTraceLabel, { label }), createElement(LargeTraceLabel, { label })]) {
      const html = await render(element);
      expect(html).toContain(groupedCode(batchA.traceCode));
      expect(html).toContain(label.qrSvg);
      for (const text of ["水蜜桃", "2026-07-10", `${A} 合作社`, "承诺达标合格证", "测试合作社", "无锡", "13800000000"])
        expect(html).toContain(text);
    }
    expect(await render(createElement(SmallTraceLabel, { label }), "en")).toContain("Compliance certificate");
  });

  it("offers the QR code alone as an SVG download", async () => {
    const result = await run(qrLoader, getAs(owner, `http://localhost/admin/${A}/batches/${batchA.id}/qr.svg`), {
      shop: A,
      batch: batchA.id,
    });
    expect(result.status).toBe(200);
    expect(result.headers!.get("Content-Type")).toMatch(/^image\/svg\+xml/);
    expect(result.headers!.get("Content-Disposition")).toBe(`attachment; filename="trace-${batchA.traceCode}.svg"`);
    const response = (await qrLoader({
      request: getAs(owner, `http://localhost/admin/${A}/batches/${batchA.id}/qr.svg`),
      params: { shop: A, batch: batchA.id },
      context: {},
    })) as Response;
    expect(await response.text()).toBe(await expectedSvg(`http://localhost/t/${batchA.traceCode}`));
  });

  it("lets a coordinator print, but answers 404 across shops", async () => {
    expect(
      (
        await run(labelsLoader, getAs(coordinator, `http://localhost/admin/${A}/batches/${batchA.id}/labels`), {
          shop: A,
          batch: batchA.id,
        })
      ).status,
    ).toBe(200);
    // Shop A's member under shop B's URL, and shop B's batch under shop A's URL.
    for (const loader of [labelsLoader, qrLoader]) {
      expect(
        (
          await run(loader, getAs(owner, `http://localhost/admin/${B}/batches/${batchB.id}/labels`), {
            shop: B,
            batch: batchB.id,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await run(loader, getAs(owner, `http://localhost/admin/${A}/batches/${batchB.id}/labels`), {
            shop: A,
            batch: batchB.id,
          })
        ).status,
      ).toBe(404);
      expect(
        (await run(loader, getAs(owner, `http://localhost/admin/${A}/batches/nope/labels`), { shop: A, batch: "nope" }))
          .status,
      ).toBe(404);
    }
  });
});
