import type { PrismaClient } from "~/generated/prisma/client";

/**
 * Models whose rows belong to one shop. Every query of one must name its shop
 * (docs/decisions/003-tenancy-scoped-data-access.md). A test checks this list
 * against prisma/schema.prisma so that a new tenant-owned model cannot be forgotten.
 */
export const SHOP_OWNED_MODELS = new Set([
  "ShopCertification",
  "Membership",
  "Product",
  "Variant",
  "StockMovement",
  "ExperienceSlot",
  "Image",
  "ImageRendition",
  "Batch",
  "BatchProduct",
  "BatchInput",
  "Invitation",
  "CartLine",
  "ShopOrder",
  "ShopOrderLine",
  "Reservation",
  "ShopOrderEvent",
  "Refund",
  "LedgerEntry",
  "Payout",
  "Shipment",
  "ShipmentEvent",
  "CodRemittance",
  // The county dashboard's roll-ups and trace-scan counts (decision 018): written by triggers and
  // the trace page, read across shops in *.cross-shop.server.ts modules.
  "SalesDaily",
  "ProductSalesDaily",
  "SalesRollupDirty",
  // Per shop, raised by a trigger on SalesDaily (decision 028, follow-up 7); read by the dashboard.
  "SalesRollupShopVersion",
  "BatchScanDaily",
  // Reviews (decision 023); ProductStats is kept by triggers and read inside the card SQL.
  "Review",
  "ReviewPhoto",
  "ProductStats",
  // Search words (decision 022): written and read in raw SQL by app/modules/search, always by shop or product.
  "ProductSearch",
  // Listing rows (decision 039): kept by triggers, read in raw SQL by the marketplace's listings and search.
  "ProductListing",
]);

/**
 * Models that carry a shopId but are looked up without one, to find the shop (decision 028,
 * follow-up 4): not guarded, read and written only by the modules that own them.
 */
export const SHOP_LOOKUP_MODELS = new Set(["TraceCode"]);

export class MissingShopScopeError extends Error {
  constructor(model: string, operation: string) {
    super(
      `${model}.${operation} without a shopId: every query of a shop-owned model must name its shop ` +
        `(where.shopId / data.shopId). Cross-shop reads belong in a *.cross-shop.server.ts module using unscopedDb.`,
    );
    this.name = "MissingShopScopeError";
  }
}

const CREATE_OPERATIONS = new Set(["create", "createMany", "createManyAndReturn"]);

function namesShop(where: unknown): boolean {
  if (!where || typeof where !== "object") return false;
  const record = where as Record<string, unknown>;
  if (record.shopId !== undefined && record.shopId !== null) return true;
  // Compound unique keys such as { shopId_slug: { shopId, slug } }.
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith("shopId_") && namesShop(value)) return true;
  }
  if (Array.isArray(record.AND)) return record.AND.some(namesShop);
  return false;
}

function dataNamesShop(data: unknown): boolean {
  if (Array.isArray(data)) return data.length > 0 && data.every(dataNamesShop);
  if (!data || typeof data !== "object") return false;
  const record = data as Record<string, unknown>;
  return typeof record.shopId === "string" || Boolean((record.shop as { connect?: unknown })?.connect);
}

export function assertShopScope(model: string, operation: string, args: unknown): void {
  if (!SHOP_OWNED_MODELS.has(model)) return;
  const a = (args ?? {}) as { where?: unknown; data?: unknown; create?: unknown };
  const ok = CREATE_OPERATIONS.has(operation)
    ? dataNamesShop(a.data)
    : operation === "upsert"
      ? namesShop(a.where) && dataNamesShop(a.create)
      : namesShop(a.where);
  if (!ok) throw new MissingShopScopeError(model, operation);
}

/** The client modules use: refuses a shop-owned query that does not name its shop. */
export function withShopGuard(prisma: PrismaClient) {
  return prisma.$extends({
    name: "shop-scope-guard",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          assertShopScope(model, operation, args);
          return query(args);
        },
      },
    },
  });
}

export type ScopedDb = ReturnType<typeof withShopGuard>;
