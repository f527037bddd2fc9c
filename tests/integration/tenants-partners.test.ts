import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { tenantPackSchema } from "~/modules/tenants/pack-schema";
import { syncTenants } from "~/modules/tenants/sync.server";
import { samplePack, writePacks } from "../support/packs";

// Demo logistics partners and their pickup networks (issue #10): a pack's county lists its
// partners (matched by county and Chinese name) and points in 南京, 苏州, 上海 that belong to a
// partner's network; a second import changes nothing, and no API key is ever made by an import.

const NOW = new Date("2026-11-27T02:00:00Z");

function packWithPartners(slug: string, countyCode: string) {
  const pack = samplePack(slug, countyCode);
  return {
    ...pack,
    county: {
      ...pack.county,
      partners: [
        {
          name: { zh: "测试县农村物流共同配送中心", en: "Test County Logistics Centre" },
          kind: "COUNTY_CENTRE",
          services: ["HOME", "PICKUP_POINT", "LOCKER"],
        },
        {
          name: { zh: "中国邮政测试县分公司", en: "China Post, Test County" },
          kind: "POST",
          services: ["HOME", "PICKUP_POINT", "LOCKER", "COLD_CHAIN"],
        },
      ],
      pickupPoints: [
        ...pack.county.pickupPoints.map((p) => ({ ...p, partner: "测试县农村物流共同配送中心" })),
        {
          code: "SH-TEST-LOCKER",
          kind: "LOCKER",
          name: { zh: "智能快递柜 · 浦东", en: "Parcel locker, Pudong" },
          address: { zh: "上海市浦东新区某路 1 号", en: "1 Some Road, Pudong, Shanghai" },
          partner: "中国邮政测试县分公司",
          city: { zh: "上海", en: "Shanghai" },
          district: { zh: "浦东新区", en: "Pudong" },
        },
      ],
    },
  };
}

describe("logistics partners in tenant packs", () => {
  it("imports partners and their city points once; a second run (and a second shop) changes nothing", async () => {
    const root = writePacks([packWithPartners("lp-one", "321101"), packWithPartners("lp-two", "321101")]);
    const first = await syncTenants(root, { now: NOW });
    expect(
      first.every((r) => r.ok),
      JSON.stringify(first),
    ).toBe(true);
    const county = await unscopedDb().county.findUniqueOrThrow({ where: { code: "321101" } });
    const partners = await unscopedDb().logisticsPartner.findMany({
      where: { countyId: county.id },
      orderBy: { nameZh: "asc" },
    });
    expect(partners.map((p) => [p.nameZh, p.kind])).toEqual([
      ["中国邮政测试县分公司", "POST"],
      ["测试县农村物流共同配送中心", "COUNTY_CENTRE"],
    ]);
    const post = partners[0]!;
    expect(post.services).toContain("COLD_CHAIN");
    const locker = await unscopedDb().pickupPoint.findUniqueOrThrow({
      where: { countyId_code: { countyId: county.id, code: "SH-TEST-LOCKER" } },
    });
    expect(locker).toMatchObject({ partnerId: post.id, cityZh: "上海", cityEn: "Shanghai", districtZh: "浦东新区" });
    expect(await unscopedDb().partnerApiKey.count({ where: { partnerId: { in: partners.map((p) => p.id) } } })).toBe(0);

    const pointsBefore = await unscopedDb().pickupPoint.findMany({
      where: { countyId: county.id },
      orderBy: { code: "asc" },
    });
    const second = await syncTenants(root, { now: NOW });
    for (const result of second) expect(result.counts).toMatchObject({ created: 0, updated: 0 });
    expect(
      await unscopedDb().logisticsPartner.findMany({ where: { countyId: county.id }, orderBy: { nameZh: "asc" } }),
    ).toEqual(partners);
    expect(
      await unscopedDb().pickupPoint.findMany({ where: { countyId: county.id }, orderBy: { code: "asc" } }),
    ).toEqual(pointsBefore);
  });

  it("refuses a point naming a partner the county does not list", async () => {
    const pack = packWithPartners("lp-bad", "321102");
    pack.county.pickupPoints[0] = { ...pack.county.pickupPoints[0]!, partner: "不存在的物流公司" };
    const [result] = await syncTenants(writePacks([pack]), { now: NOW });
    expect(result!.ok).toBe(false);
    expect(await unscopedDb().logisticsPartner.count({ where: { county: { code: "321102" } } })).toBe(0);
  });

  it("the demo packs give every county a logistics centre and a post partner, and points in 南京, 苏州 and 上海", () => {
    const dir = path.resolve("tenants");
    const packs = readdirSync(dir).map((slug) =>
      tenantPackSchema.parse(JSON.parse(readFileSync(path.join(dir, slug, "tenant.json"), "utf8"))),
    );
    for (const pack of packs) {
      expect(pack.county.partners?.map((p) => p.kind).sort()).toEqual(["COUNTY_CENTRE", "POST"]);
    }
    const cities = new Set(packs.flatMap((p) => p.county.pickupPoints ?? []).map((p) => p.city?.zh));
    for (const city of ["南京", "苏州", "上海"]) expect(cities).toContain(city);
  });
});
