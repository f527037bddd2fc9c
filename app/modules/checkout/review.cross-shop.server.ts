import { unscopedDb } from "~/db/index.server";
import { env } from "~/env.server";
import { availableProviders, defaultProvider } from "~/modules/payments/providers.server";
import {
  changesIn,
  loadCheckoutCart,
  normaliseRegion,
  type CheckoutChange,
  type CheckoutGroup,
  type CheckoutLine,
} from "./place-order.cross-shop.server";
import { quote, type GroupQuote } from "./quote";
import type { DeliveryMethod } from "./shipping";

// What the checkout page shows before anything is held: the cart grouped by shop with the
// county's pickup points, every change since the buyer added things (prices, stock, places,
// pre-sale yield) and the summary for the chosen deliveries. Placing the order checks all of
// it again inside its transaction; this is the honest preview.

export interface ReviewLine {
  id: string;
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  title: string;
  variantTitle: string;
  unit: string;
  quantity: number;
  unitPriceFen: number;
  lineTotalFen: number;
  /** ISO; experiences only. */
  slotStartsAt: string | null;
  presaleShipBy: string | null;
}

export interface ReviewGroup {
  shopId: string;
  slug: string;
  name: string;
  countyName: string;
  hasGoods: boolean;
  rates: CheckoutGroup["rates"];
  goodsSubtotalFen: number;
  subtotalFen: number;
  lines: ReviewLine[];
  pickupPoints: CheckoutGroup["pickupPoints"];
}

export interface CheckoutReview {
  groups: ReviewGroup[];
  changes: CheckoutChange[];
  quote: { shops: GroupQuote[]; totalFen: number };
  /** The region whose partners' pickup points are offered, as the page shows it back. */
  pickupRegion: string | null;
}

/** Stock, places and pre-sale yield the lines need but are no longer there. */
async function shortagesIn(groups: CheckoutGroup[], now: Date): Promise<CheckoutChange[]> {
  const lines = groups.flatMap((g) => g.lines).filter((l) => l.available);
  if (lines.length === 0) return [];
  const prisma = unscopedDb();
  const goods = lines.filter((l) => l.kind !== "EXPERIENCE");
  const experiences = lines.filter((l) => l.kind === "EXPERIENCE" && l.slotId);
  // With their shops: the primary keys are (shopId, id) (decision 028).
  const shopsOf = (some: CheckoutLine[]) => [...new Set(some.map((l) => l.shopId))];
  const [variants, slots, presales] = await Promise.all([
    goods.length
      ? prisma.variant.findMany({
          where: { shopId: { in: shopsOf(goods) }, id: { in: goods.map((l) => l.variantId) } },
          select: { id: true, stock: true },
        })
      : [],
    experiences.length
      ? prisma.experienceSlot.findMany({
          where: { shopId: { in: shopsOf(experiences) }, id: { in: experiences.map((l) => l.slotId!) } },
          select: { id: true, capacity: true, booked: true, startsAt: true },
        })
      : [],
    goods.some((l) => l.presale)
      ? prisma.product.findMany({
          where: {
            shopId: { in: shopsOf(goods.filter((l) => l.presale)) },
            id: { in: goods.filter((l) => l.presale).map((l) => l.productId) },
          },
          select: { id: true, presaleYieldCap: true, presaleReserved: true },
        })
      : [],
  ]);
  const stock = new Map(variants.map((v) => [v.id, Math.max(0, v.stock)]));
  const placesLeft = new Map(slots.map((s) => [s.id, s.startsAt > now ? Math.max(0, s.capacity - s.booked) : 0]));
  // Lines for one slot (adult and child tickets) share its places; pre-sale lines share the yield.
  const wantedBySlot = new Map<string, number>();
  for (const l of experiences) wantedBySlot.set(l.slotId!, (wantedBySlot.get(l.slotId!) ?? 0) + l.quantity);
  const wantedByPresale = new Map<string, number>();
  for (const l of goods)
    if (l.presale) wantedByPresale.set(l.productId, (wantedByPresale.get(l.productId) ?? 0) + l.quantity);
  const presaleLeft = new Map(
    presales
      .filter((p) => p.presaleYieldCap !== null)
      .map((p) => [p.id, Math.max(0, p.presaleYieldCap! - p.presaleReserved)]),
  );

  const changes: CheckoutChange[] = [];
  for (const l of lines) {
    if (l.kind === "EXPERIENCE") {
      const left = placesLeft.get(l.slotId ?? "") ?? 0;
      if ((wantedBySlot.get(l.slotId ?? "") ?? 0) > left) {
        changes.push({ lineId: l.id, title: l.title, kind: "SLOT_FULL", available: left });
      }
      continue;
    }
    const available = stock.get(l.variantId) ?? 0;
    if (l.quantity > available) {
      changes.push({ lineId: l.id, title: l.title, kind: "NOT_ENOUGH_STOCK", available });
      continue;
    }
    const yieldLeft = presaleLeft.get(l.productId);
    if (l.presale && yieldLeft !== undefined && (wantedByPresale.get(l.productId) ?? 0) > yieldLeft) {
      changes.push({ lineId: l.id, title: l.title, kind: "PRESALE_CAP", available: yieldLeft });
    }
  }
  return changes;
}

function toReviewGroup(g: CheckoutGroup): ReviewGroup {
  return {
    shopId: g.shopId,
    slug: g.slug,
    name: g.name,
    countyName: g.countyName,
    hasGoods: g.hasGoods,
    rates: g.rates,
    goodsSubtotalFen: g.goodsSubtotalFen,
    subtotalFen: g.subtotalFen,
    pickupPoints: g.pickupPoints,
    lines: g.lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      title: l.title,
      variantTitle: l.variantTitle,
      unit: l.unit,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      lineTotalFen: l.lineTotalFen,
      slotStartsAt: l.slotStartsAt?.toISOString() ?? null,
      presaleShipBy: l.presale && l.presaleShipBy ? l.presaleShipBy.toISOString().slice(0, 10) : null,
    })),
  };
}

/** The checkout page's data for the visitor's cart and the deliveries chosen so far. */
export async function reviewCheckout({
  cartId,
  lng,
  choices = {},
  region = null,
  now = new Date(),
}: {
  cartId: string | null;
  lng: string;
  choices?: Partial<Record<string, DeliveryMethod>>;
  /** The buyer's city or district: its partners' pickup points and lockers are offered too. */
  region?: string | null;
  now?: Date;
}): Promise<CheckoutReview> {
  const groups = cartId ? await loadCheckoutCart(unscopedDb(), cartId, lng, { region }) : [];
  const changes = [...changesIn(groups, now)];
  // A line that cannot be bought at all says so once; a new price and a shortage both show.
  const gone = new Set(changes.filter((c) => c.kind === "UNAVAILABLE" || c.kind === "SLOT_PAST").map((c) => c.lineId));
  for (const shortage of await shortagesIn(groups, now)) if (!gone.has(shortage.lineId)) changes.push(shortage);
  return {
    groups: groups.map(toReviewGroup),
    changes,
    quote: quote(groups, choices),
    pickupRegion: normaliseRegion(region),
  };
}

/** The ways to pay offered at checkout: offline always, Stripe when configured. */
export function paymentOptions() {
  return {
    providers: availableProviders(),
    defaultProvider: defaultProvider(),
    reservationMinutes: env().RESERVATION_MINUTES,
  };
}
