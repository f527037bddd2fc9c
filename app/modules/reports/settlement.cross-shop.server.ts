import { unscopedDb } from "~/db/index.server";
import { periodOf } from "~/modules/ledger/period";
import { statement } from "~/modules/ledger/statement.server";
import type { ReportFilters } from "./filters";
import type { ReportScope } from "./orders-report.cross-shop.server";

// The county's settlement report (issue #11): per shop of the county, the ledger's statement of
// the period — the same function /platform/payouts/<slug> and the shop's money page use, so the
// figures are the ledger's own. Amounts keep the ledger's sign ("owed to the cooperative"):
// a fee or a payout is negative, a payment received from the shop is positive.

export interface SettlementRow {
  slug: string;
  nameZh: string;
  nameEn: string;
  villageZh: string;
  villageEn: string;
  openingFen: number;
  salesFen: number;
  /** The platform's fee, less the fee returned on refunds. */
  feeFen: number;
  refundsFen: number;
  /** Money the cooperative collected itself (offline and cash on delivery), less what it gave back. */
  offlineFen: number;
  /** Cash on delivery held by a logistics partner, and its remittance to the platform. */
  codFen: number;
  /** Payouts to the cooperative (negative). */
  payoutsFen: number;
  /** Payments received from the cooperative (SHOP_PAYMENT, positive). */
  shopPaymentsFen: number;
  closingFen: number;
}

export const SETTLEMENT_SCREEN_PAGE = 50;

/** The county's shops (or the one of the filter), by slug; a page of them when `page` is given. */
async function shopsOf(scope: ReportScope, page?: { skip: number; take: number }) {
  return unscopedDb().shop.findMany({
    where: { countyId: scope.countyId, ...(scope.shopId ? { id: scope.shopId } : {}) },
    select: { id: true, slug: true, nameZh: true, nameEn: true, villageZh: true, villageEn: true },
    orderBy: { slug: "asc" },
    ...(page ?? {}),
  });
}

async function rowOf(
  shop: Awaited<ReturnType<typeof shopsOf>>[number],
  f: Pick<ReportFilters, "from" | "to">,
): Promise<SettlementRow> {
  const s = await statement(shop.id, periodOf(f.from, f.to));
  const k = s.totals;
  return {
    slug: shop.slug,
    nameZh: shop.nameZh,
    nameEn: shop.nameEn,
    villageZh: shop.villageZh,
    villageEn: shop.villageEn,
    openingFen: s.openingFen,
    salesFen: k.SALE,
    feeFen: k.PLATFORM_FEE + k.FEE_REFUND,
    refundsFen: k.REFUND,
    offlineFen: k.OFFLINE_COLLECTED,
    codFen: k.COD_HELD_BY_PARTNER + k.COD_REMITTED,
    payoutsFen: k.PAYOUT,
    shopPaymentsFen: k.SHOP_PAYMENT,
    closingFen: s.closingFen,
  };
}

/** Every shop's row, one shop at a time (memory stays bounded by one statement). */
export async function* settlementRows(scope: ReportScope, f: Pick<ReportFilters, "from" | "to">) {
  for (const shop of await shopsOf(scope)) yield await rowOf(shop, f);
}

/** One screen page (1-based) of shops, and whether another follows. */
export async function settlementPage(
  scope: ReportScope,
  f: Pick<ReportFilters, "from" | "to">,
  page: number,
  size = SETTLEMENT_SCREEN_PAGE,
) {
  const shops = await shopsOf(scope, { skip: (page - 1) * size, take: size + 1 });
  const rows = await Promise.all(shops.slice(0, size).map((shop) => rowOf(shop, f)));
  return { rows, more: shops.length > size };
}
