import { describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { samplePack, writePack, writePacks } from "../support/packs";

// Pickup points and lockers per county (issue #5): listed in a pack's county, imported by
// county and code, shared by the county's shops, never duplicated or removed by a sync.

const NOW = new Date("2026-11-27T02:00:00Z");

async function pointsOf(countyCode: string) {
  return unscopedDb().pickupPoint.findMany({
    where: { county: { code: countyCode } },
    orderBy: { code: "asc" },
  });
}

describe("pickup points in tenant packs", () => {
  it("imports a county's points once, shares them between its shops, and a second run changes nothing", async () => {
    // Two shops in one county list the same points: one row per code.
    const root = writePacks([samplePack("pp-one", "321001"), samplePack("pp-two", "321001")]);
    const first = await syncTenants(root, { now: NOW });
    expect(first.every((r) => r.ok)).toBe(true);
    const before = await pointsOf("321001");
    expect(before.map((p) => [p.code, p.kind])).toEqual([
      ["P321001-LOCKER", "LOCKER"],
      ["P321001-POST", "POINT"],
    ]);

    const second = await syncTenants(root, { now: NOW });
    for (const result of second) expect(result.counts).toMatchObject({ created: 0, updated: 0 });
    expect(await pointsOf("321001")).toEqual(before); // same ids, nothing rewritten
  });

  it("updates an edited point, adds a new one and keeps one the pack no longer lists", async () => {
    const pack = samplePack("pp-edit", "321002");
    const root = writePacks([pack]);
    await syncTenants(root, { now: NOW });
    const [locker] = (await pointsOf("321002")).filter((p) => p.kind === "LOCKER");

    pack.county.pickupPoints[1]!.address.zh = "测试花园南门";
    pack.county.pickupPoints.shift(); // the post station is no longer listed
    pack.county.pickupPoints.push({
      code: "P321002-SERVICE",
      kind: "POINT",
      name: { zh: "镇便民服务中心", en: "Town Service Centre" },
      address: { zh: "镇政府旁", en: "Next to the town hall" },
    });
    writePack(root, pack);
    const [result] = await syncTenants(root, { now: NOW });
    expect(result!.ok).toBe(true);
    expect(result!.counts).toMatchObject({ created: 1, updated: 1 });

    const after = await pointsOf("321002");
    expect(after.map((p) => p.code)).toEqual(["P321002-LOCKER", "P321002-POST", "P321002-SERVICE"]);
    const edited = after.find((p) => p.code === "P321002-LOCKER")!;
    expect(edited).toMatchObject({ id: locker!.id, addressZh: "测试花园南门", kind: "LOCKER" });
  });

  it("refuses a pack with a duplicate or malformed point code, or an unknown kind, and writes nothing of it", async () => {
    const duplicate = samplePack("pp-dup", "321003");
    duplicate.county.pickupPoints[1]!.code = duplicate.county.pickupPoints[0]!.code;
    const malformed = samplePack("pp-bad", "321004");
    malformed.county.pickupPoints[0]!.code = "站 1";
    (malformed.county.pickupPoints[1] as { kind: string }).kind = "SHELF";
    const results = await syncTenants(writePacks([duplicate, malformed]), { now: NOW });

    const dup = results.find((r) => r.slug === "pp-dup")!;
    expect(dup.ok).toBe(false);
    expect(dup.problems).toEqual([
      expect.objectContaining({ field: "county.pickupPoints[1].code", key: "pack.duplicate" }),
    ]);
    const bad = results.find((r) => r.slug === "pp-bad")!;
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "county.pickupPoints[0].code", key: "pack.pickupCode" }),
        expect.objectContaining({ field: "county.pickupPoints[1].kind" }),
      ]),
    );
    for (const code of ["321003", "321004"]) {
      expect(await unscopedDb().county.findUnique({ where: { code } })).toBeNull();
      expect(await pointsOf(code)).toEqual([]);
    }
  });

  it("a pack without pickup points still imports (the field is optional)", async () => {
    const pack = samplePack("pp-none", "321005");
    const { pickupPoints: _none, ...county } = pack.county;
    const [result] = await syncTenants(writePacks([{ ...pack, county }]), { now: NOW });
    expect(result!.ok).toBe(true);
    expect(await pointsOf("321005")).toEqual([]);
  });
});
