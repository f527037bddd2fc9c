import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import type { PublicTrace } from "~/modules/trace/trace-page.cross-shop.server";
import { loader as traceLoader, meta as traceMeta } from "~/routes/t.$code";
import { run } from "../support/auth";
import { samplePack, writePacks } from "../support/packs";

/** The data a loader or action returned (run() types it loosely). */
const dataOf = <T>(result: { data?: unknown }) => result.data as T;

// The public page behind a label's QR code: a LIVE shop's batch is shown to anyone;
// unknown, malformed and unpublished codes are a 404.

const LIVE = "trace-live";
const OTHER = "trace-other";
const DRAFT = "trace-draft";
const CODE = "7BSZAA653424";
const DRAFT_CODE = "P5Q691K7KVLD";

type TraceData = { trace: PublicTrace; meta: { title: string; description: string } };

beforeAll(async () => {
  const live = samplePack(LIVE);
  live.batches[0] = {
    ...live.batches[0]!,
    traceCode: CODE,
    products: ["peach-box", "tea-tin", "picking"],
    harvestDate: "2026-07-10",
    inputs: [
      { kind: "FERTILISER", name: { zh: "菜籽饼肥", en: "Rapeseed cake" }, appliedOn: "2026-02-20" } as never,
      {
        kind: "PESTICIDE",
        name: { zh: "石硫合剂", en: "Lime sulphur" },
        appliedOn: "2026-02-26",
        safetyIntervalDays: 15,
      },
      { kind: "PESTICIDE", name: { zh: "苦参碱", en: "Matrine" }, appliedOn: "2026-06-01", safetyIntervalDays: 10 },
    ],
  };
  Object.assign(live.batches[0], {
    testReport: { zh: "农残快检合格。示例数据。", en: "Rapid residue test passed. Demo data." },
    testedAt: "2026-07-09",
    testedBy: "阳山镇监管站",
    certificate: {
      ...live.batches[0].certificate,
      commitments: ["NO_BANNED_PESTICIDES", "PESTICIDE_RESIDUE_COMPLIANT"],
      basis: "COMMISSIONED_TEST",
    },
  });
  const draft = { ...samplePack(DRAFT, "320282"), status: "DRAFT" };
  draft.batches[0]!.traceCode = DRAFT_CODE;
  const results = await syncTenants(writePacks([live, samplePack(OTHER, "320507"), draft]));
  expect(results.every((r) => r.ok)).toBe(true);
  // The experience is still a draft: it is not named on the public page.
  const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: LIVE } });
  await db().product.update({
    where: { shopId_slug: { shopId: shop.id, slug: "picking" }, shopId: shop.id },
    data: { status: "DRAFT" },
  });
});

const get = (url: string, code: string) => run(traceLoader, new Request(url), { code });

describe("the public trace page", () => {
  it("shows a LIVE shop's batch from field to table, without signing in", async () => {
    const result = await get(`http://localhost/t/${CODE}`, CODE);
    expect(result.status).toBe(200);
    const { trace } = dataOf<TraceData>(result);
    expect(trace.batch).toMatchObject({
      traceCode: CODE,
      productName: "水蜜桃",
      harvestDate: "2026-07-10",
      originPlot: "一号地",
      quantity: 500,
      quantityUnit: "kg",
    });
    expect(trace.cooperative).toMatchObject({ name: `${LIVE} 合作社`, village: "测试村", href: `/s/${LIVE}` });
    expect(trace.cooperative.creditCode).toMatch(/^[0-9A-Z]{18}$/);
    expect(trace.inputs.map((i) => [i.kind, i.name, i.safetyIntervalDays, i.daysBeforeHarvest])).toEqual([
      ["FERTILISER", "菜籽饼肥", null, 140],
      ["PESTICIDE", "石硫合剂", 15, 134],
      ["PESTICIDE", "苦参碱", 10, 39],
    ]);
    expect(trace.lastTreatmentDaysBeforeHarvest).toBe(39);
    expect(trace.test).toEqual({
      report: "农残快检合格。示例数据。",
      testedAt: "2026-07-09",
      testedBy: "阳山镇监管站",
    });
    expect(trace.certificate).toEqual({
      producer: "测试合作社",
      contactPhone: "13800000000",
      origin: "无锡",
      issuedOn: "2026-07-10",
      commitments: ["NO_BANNED_PESTICIDES", "PESTICIDE_RESIDUE_COMPLIANT"],
      basis: "COMMISSIONED_TEST",
    });
    // Linked products: ACTIVE ones link to the shop, the draft one is left out; GI shown where held.
    expect(trace.products).toEqual([
      { title: "水蜜桃礼盒", href: `/s/${LIVE}/p/peach-box`, gi: null },
      { title: "碧螺春", href: `/s/${LIVE}/p/tea-tin`, gi: { name: "洞庭山碧螺春", authNumber: "GI-TEST-1" } },
    ]);
  });

  it("speaks the buyer's language and gives the page a title and description for sharing", async () => {
    const result = await get(`http://localhost/t/${CODE}?lng=en`, CODE);
    const data = dataOf<TraceData>(result);
    expect(data.trace.batch.productName).toBe("Honey peach");
    expect(data.trace.inputs[2]!.name).toBe("Matrine");
    expect(data.meta.title).toBe(`Honey peach · Traceability · ${LIVE} Cooperative`);
    const tags = traceMeta({ data } as never) as {
      title?: string;
      name?: string;
      property?: string;
      content?: string;
    }[];
    expect(tags).toContainEqual({ title: data.meta.title });
    expect(tags).toContainEqual({ name: "description", content: data.meta.description });
    expect(tags).toContainEqual({ property: "og:title", content: data.meta.title });
    expect(data.meta.description).toContain("Plot 1");
  });

  it("sends a code typed in lower case or with spaces to its canonical address", async () => {
    const typed = "7bsz aa65 3424";
    const result = await get(`http://localhost/t/${encodeURIComponent(typed)}`, typed);
    expect(result.status).toBe(301);
    expect(result.location).toBe(`/t/${CODE}`);
    // O and I never occur in codes: they are read as 0 and 1.
    const misread = await get("http://localhost/t/P5Q69IK7KVLD", "P5Q69IK7KVLD");
    expect(misread.location).toBe("/t/P5Q691K7KVLD");
  });

  it("answers 404 for unknown and malformed codes", async () => {
    expect((await get("http://localhost/t/ZZZZZZZZZZZZ", "ZZZZZZZZZZZZ")).status).toBe(404);
    for (const bad of ["", "ABC", `${CODE}X`, "7BSZAA65342_", "'; DROP TABLE", "7BSZAA65342U".replace("U", "!")]) {
      expect((await get(`http://localhost/t/${encodeURIComponent(bad)}`, bad)).status).toBe(404);
    }
  });

  it("answers 404 for the batch of a shop that is not LIVE", async () => {
    const result = await get(`http://localhost/t/${DRAFT_CODE}`, DRAFT_CODE);
    expect(result.status).toBe(404);
    const shop = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: LIVE } });
    await unscopedDb().shop.update({ where: { id: shop.id }, data: { status: "SUSPENDED" } });
    try {
      expect((await get(`http://localhost/t/${CODE}`, CODE)).status).toBe(404);
    } finally {
      await unscopedDb().shop.update({ where: { id: shop.id }, data: { status: "LIVE" } });
    }
  });

  it("shows a code on its own shop's host with host-relative links, and never on another shop's", async () => {
    const own = await get(`http://${LIVE}.localhost/t/${CODE}`, CODE);
    expect(own.status).toBe(200);
    const { trace } = dataOf<TraceData>(own);
    expect(trace.cooperative.href).toBe("/");
    expect(trace.products[0]!.href).toBe("/p/peach-box");
    expect((await get(`http://${OTHER}.localhost/t/${CODE}`, CODE)).status).toBe(404);
  });
});
