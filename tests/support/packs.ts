import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { creditCodeCheckChar } from "~/modules/tenancy/credit-code";

// Small, valid tenant packs written to a temporary tenants/ folder, for tests that
// edit or break them. The real demo packs in tenants/ are tested as they are.

const SVG = (colour: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300"><rect width="400" height="300" fill="${colour}"/><circle cx="200" cy="150" r="90" fill="#fff8"/></svg>`;

let serial = 0;
function creditCode(countyCode: string) {
  const body = `93${countyCode}MA${String(++serial).padStart(3, "0")}${Math.floor(Math.random() * 1e4)
    .toString()
    .padStart(4, "0")}`.slice(0, 17);
  return body + creditCodeCheckChar(body);
}

function traceCode() {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  return Array.from({ length: 12 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
}

export function samplePack(slug: string, countyCode = "320206") {
  return {
    slug,
    county: {
      code: countyCode,
      slug: `county-${countyCode}`,
      nameZh: `测试区${countyCode}`,
      nameEn: `Test District ${countyCode}`,
      cityZh: "无锡市",
      cityEn: "Wuxi",
      pickupPoints: [
        {
          code: `P${countyCode}-POST`,
          kind: "POINT",
          name: { zh: `测试村村邮站${countyCode}`, en: `Test Village Post Station ${countyCode}` },
          address: { zh: "测试村村委会一楼", en: "Ground floor, Test Village Committee" },
        },
        {
          code: `P${countyCode}-LOCKER`,
          kind: "LOCKER",
          name: { zh: `智能快递柜${countyCode}`, en: `Parcel locker ${countyCode}` },
          address: { zh: "测试花园北门", en: "North gate, Test Garden" },
        },
      ],
    },
    name: { zh: `${slug} 合作社`, en: `${slug} Cooperative` },
    village: { zh: "测试村", en: "Test Village" },
    tagline: { zh: "好东西", en: "Good things" },
    story: { zh: "示例数据：一个测试合作社。", en: "Demo data: a test cooperative." },
    creditCode: creditCode(countyCode),
    contact: { name: "张三", phone: "13800000000" },
    theme: { primary: "#2f6b3a", accent: "#f2c14e" },
    logo: "logo.svg",
    banner: "banner.svg",
    certifications: [{ kind: "GREEN_FOOD", name: { zh: "绿色食品", en: "Green Food" }, number: "LB-1" }],
    products: [
      {
        slug: "peach-box",
        kind: "PRODUCE",
        title: { zh: "水蜜桃礼盒", en: "Honey peach box" },
        summary: { zh: "六只装", en: "Six peaches" },
        harvestMonths: [7, 6, 8],
        coldChain: true,
        shelfLifeDays: 5,
        images: [{ file: "images/peach.svg", alt: { zh: "桃", en: "Peach" } }],
        variants: [
          { sku: `${slug}-P6`, title: { zh: "6只装", en: "Box of 6" }, unit: "盒", priceFen: 16800, stock: 40 },
          { sku: `${slug}-P12`, title: { zh: "12只装", en: "Box of 12" }, unit: "盒", priceFen: 29800, stock: 2 },
        ],
      },
      {
        slug: "tea-tin",
        kind: "SPECIALTY",
        title: { zh: "碧螺春", en: "Biluochun tea" },
        gi: { name: "洞庭山碧螺春", authNumber: "GI-TEST-1" },
        images: [{ file: "images/tea.svg", alt: { zh: "茶", en: "Tea" } }],
        variants: [{ sku: `${slug}-T1`, title: { zh: "100克", en: "100 g" }, unit: "罐", priceFen: 38800, stock: 0 }],
      },
      {
        slug: "picking",
        kind: "EXPERIENCE",
        title: { zh: "采摘", en: "Picking" },
        durationMinutes: 120,
        meetingPoint: { zh: "村口", en: "Village gate" },
        images: [{ file: "images/peach.svg", alt: { zh: "采摘", en: "Picking" } }],
        variants: [{ sku: `${slug}-E1`, title: { zh: "成人", en: "Adult" }, unit: "人", priceFen: 4800, stock: 0 }],
        slots: [{ startsAt: "2030-03-02T09:00", capacity: 20 }],
      },
    ],
    batches: [
      {
        traceCode: traceCode(),
        products: ["peach-box"],
        productName: { zh: "水蜜桃", en: "Honey peach" },
        harvestDate: "2026-07-10",
        originPlot: { zh: "一号地", en: "Plot 1" },
        quantity: 500,
        quantityUnit: "kg",
        certificate: { producer: "测试合作社", contactPhone: "13800000000", origin: "无锡", issuedOn: "2026-07-10", commitments: ["NO_BANNED_PESTICIDES"] },
        inputs: [{ kind: "PESTICIDE", name: { zh: "苦参碱", en: "Matrine" }, appliedOn: "2026-06-01", safetyIntervalDays: 10 }],
      },
    ],
  };
}

export type SamplePack = ReturnType<typeof samplePack>;

/** Writes packs into a fresh temporary tenants/ folder; returns its path. */
export function writePacks(packs: unknown[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tenants-"));
  for (const pack of packs) writePack(root, pack as SamplePack);
  return root;
}

export function writePack(root: string, pack: SamplePack | Record<string, unknown>) {
  const dir = path.join(root, String((pack as { slug: string }).slug));
  fs.mkdirSync(path.join(dir, "images"), { recursive: true });
  fs.writeFileSync(path.join(dir, "tenant.json"), JSON.stringify(pack, null, 2));
  fs.writeFileSync(path.join(dir, "logo.svg"), SVG("#2f6b3a"));
  fs.writeFileSync(path.join(dir, "banner.svg"), SVG("#88aa55"));
  fs.writeFileSync(path.join(dir, "images/peach.svg"), SVG("#f4a0a0"));
  fs.writeFileSync(path.join(dir, "images/tea.svg"), SVG("#4a7a3a"));
  return dir;
}
