import path from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { SHOP_A, SHOP_B, twoShops } from "./cart-fixtures";
import { countyRouteFiles, paramNames, ROUTES_DIR, urlFor, type RouteModule } from "../support/route-walk";
import { placeTestOrder } from "./orders-fixtures";

// Walks EVERY county route module (app/routes/county.*) and proves that county A's coordinator
// gets 404 — never data, never a change — for county B: B's code in the URL, B's ids under A's
// code, and B's shop as a filter of A's reports. And that what A's pages and files return
// never names B's shop, order or buyer.

/** Values for a route's params that belong to county B (or name nothing at all). */
const B: Record<string, string> = {};
const A: Record<string, string> = {};
let coordA: Session;
const SECRET_BUYER = "13712345678";
/** Routes whose own page or file did show A's shop: proof that the "never names B" checks look at data. */
const showedA = new Set<string>();

async function snapshotB() {
  const prisma = unscopedDb();
  const where = { shop: { countyId: B.countyId! } };
  const [orders, lines, events, ledger, partners, coordinators, security] = await Promise.all([
    prisma.shopOrder.findMany({ where, orderBy: { id: "asc" } }),
    prisma.shopOrderLine.findMany({ where, orderBy: { id: "asc" } }),
    prisma.shopOrderEvent.findMany({ where, orderBy: { id: "asc" } }),
    prisma.ledgerEntry.findMany({ where, orderBy: { id: "asc" } }),
    prisma.logisticsPartner.findMany({ where: { countyId: B.countyId! }, orderBy: { id: "asc" } }),
    prisma.countyCoordinator.findMany({ where: { countyId: B.countyId! }, orderBy: { userId: "asc" } }),
    prisma.securityEvent.count(),
  ]);
  return JSON.stringify({ orders, lines, events, ledger, partners, coordinators, security });
}

beforeAll(async () => {
  const f = await twoShops();
  for (const [target, slug] of [
    [A, SHOP_A],
    [B, SHOP_B],
  ] as const) {
    const shop = await unscopedDb().shop.findUniqueOrThrow({
      where: { slug },
      select: { id: true, nameZh: true, county: true },
    });
    Object.assign(target, {
      shop: slug,
      shopId: shop.id,
      shopNameZh: shop.nameZh,
      code: shop.county.code,
      countyId: shop.county.id,
    });
  }
  expect(A.countyId).not.toBe(B.countyId);
  const partnerB = await unscopedDb().logisticsPartner.create({
    data: { countyId: B.countyId!, nameZh: "乙县快递", kind: "EXPRESS", services: ["HOME"], areas: [] },
  });
  B.partner = partnerB.id;
  B.partnerId = partnerB.id;

  // B's shop has a paid order with a buyer whose mobile must never reach county A's coordinator.
  const placed = await placeTestOrder({ lines: [{ variantId: f.b.p6.id, quantity: 2 }], contactPhone: SECRET_BUYER });
  const soB = placed.shopOrders.get(B.shopId!)!;
  B.order = soB.number;
  const ownerB = await createUser();
  await unscopedDb().membership.create({ data: { shopId: B.shopId!, userId: ownerB.id, role: "OWNER" } });
  expect(
    await actOnShopOrder({ shopId: B.shopId!, shopOrderId: soB.id, action: "confirmPayment", userId: ownerB.id }),
  ).toEqual({ ok: true });
  const placedA = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }] });
  const ownerA = await createUser();
  await unscopedDb().membership.create({ data: { shopId: A.shopId!, userId: ownerA.id, role: "OWNER" } });
  const soA = placedA.shopOrders.get(A.shopId!)!;
  expect(
    await actOnShopOrder({ shopId: A.shopId!, shopOrderId: soA.id, action: "confirmPayment", userId: ownerA.id }),
  ).toEqual({ ok: true });

  const coordinator = await createUser();
  await unscopedDb().countyCoordinator.create({ data: { countyId: A.countyId!, userId: coordinator.id } });
  coordA = await signedIn(coordinator.id);
});

/** The params of a route with county B's values (code included). */
function paramsOfB(file: string) {
  return Object.fromEntries(paramNames(file).map((name) => [name, B[name] ?? "2026-11"]));
}

const INTENTS = [
  "",
  "create",
  "update",
  "delete",
  "remove",
  "rotate",
  "revoke",
  "enable",
  "disable",
  "retry",
  "export",
];

/** A file's text: CSV as it is, XLSX's cells read back with exceljs (its bytes are zipped). */
async function fileText(response: Response) {
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!(response.headers.get("Content-Type") ?? "").includes("spreadsheetml")) return bytes.toString("utf8");
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const cells: string[] = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
  return cells.join("\n");
}

describe("county isolation: a coordinator never sees or changes another county", () => {
  it("finds the county routes to walk", () => {
    expect(countyRouteFiles.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of countyRouteFiles) {
    it(`${file}: county B's code → 404 by loader and by action, and B is unchanged`, async () => {
      const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
      const params = paramsOfB(file);
      const before = await snapshotB();
      if (mod.loader) {
        const result = await run(mod.loader as never, getAs(coordA, urlFor(file, params)), params);
        expect(result.status, `${file} loader answered ${result.status}`).toBe(404);
      }
      if (mod.action) {
        for (const intent of INTENTS) {
          const result = await run(mod.action as never, postAs(coordA, urlFor(file, params), { intent }), params);
          expect(result.status, `${file} action (${intent || "no intent"}) answered ${result.status}`).toBe(404);
        }
      }
      expect(await snapshotB()).toBe(before);
    });

    const ownParams = paramNames(file).filter((n) => n !== "code" && B[n]);
    if (ownParams.length) {
      it(`${file}: B's ${ownParams.join("/")} under A's own code → 404`, async () => {
        const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
        const params = { ...paramsOfB(file), code: A.code! };
        const before = await snapshotB();
        if (mod.loader) {
          const result = await run(mod.loader as never, getAs(coordA, urlFor(file, params)), params);
          expect(result.status, `${file} loader answered ${result.status}`).toBe(404);
        }
        if (mod.action) {
          for (const intent of INTENTS) {
            const result = await run(mod.action as never, postAs(coordA, urlFor(file, params), { intent }), params);
            expect([400, 404], `${file} action (${intent || "no intent"}) answered ${result.status}`).toContain(
              result.status,
            );
          }
        }
        expect(await snapshotB()).toBe(before);
      });
    }

    if (paramNames(file).length === 1) {
      it(`${file}: A's own page and files never name B's shop, order or buyer; B's shop as a filter → 404`, async () => {
        const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
        if (!mod.loader) return;
        const params = { code: A.code! };
        const wide = "?includeContacts=1"; // each page's default range: the last days, which hold both orders
        const own = await run(mod.loader as never, getAs(coordA, urlFor(file, params, wide)), params);
        expect([200, 302, 303, 400], `${file} answered ${own.status}`).toContain(own.status);
        const ownData = (own as { data?: unknown }).data;
        if (own.status === 200 && ownData !== undefined) {
          const text = JSON.stringify(ownData);
          for (const secret of [SHOP_B, B.order!, SECRET_BUYER])
            expect(text, `${file} shows ${secret}`).not.toContain(secret);
          if (text.includes(SHOP_A)) showedA.add(file);
        }
        // Files come back as a Response: read their bytes too.
        const raw = (await (mod.loader as (a: unknown) => Promise<unknown>)({
          request: getAs(coordA, urlFor(file, params, wide)),
          params,
          context: {},
        }).catch((thrown: unknown) => thrown)) as unknown;
        if (raw instanceof Response && raw.status === 200) {
          const text = await fileText(raw);
          for (const secret of [SHOP_B, B.order!, SECRET_BUYER])
            expect(text, `${file} file shows ${secret}`).not.toContain(secret);
          if (text.includes(A.shopNameZh!)) showedA.add(file);
        }
        const filtered = await run(
          mod.loader as never,
          getAs(coordA, urlFor(file, params, `?shop=${encodeURIComponent(SHOP_B)}`)),
          params,
        );
        // 302: a page that takes no shop filter and only sends on (the statistics' month picker).
        expect([200, 302, 404], `${file} with B's shop answered ${filtered.status}`).toContain(filtered.status);
        if (filtered.status === 200) {
          const text = JSON.stringify((filtered as { data?: unknown }).data ?? null);
          expect(text).not.toContain(B.order!);
        }
      });
    }
  }

  it("the checks above read real data: A's dashboard, report page and files did show A's shop", () => {
    expect([...showedA].sort()).toEqual(
      expect.arrayContaining([
        "county.$code._index.tsx",
        "county.$code.reports.orders[.csv].ts",
        "county.$code.reports.orders[.xlsx].ts",
        "county.$code.reports.sales[.csv].ts",
        "county.$code.reports.sales[.xlsx].ts",
        "county.$code.reports.settlement[.csv].ts",
        "county.$code.reports.settlement[.xlsx].ts",
      ]),
    );
  });
});
