import type { ShippingRates } from "~/modules/checkout/shipping";
import { buyer, deliveryNote, homeAddress, type Buyer } from "./people";
import { createRng, type Rng } from "./prng";

// What the demo orders will be, decided before anything is written: the same plan feeds the
// real path (checkout and the order writer) and the bulk path (set-based INSERTs), so both make
// the same kind of county. Pure and seeded: the same catalog, seed and `now` give the same plan.
// Goods only (produce and 特产, no pre-sales): experiences need future slots and pre-sales a
// yield cap, which back-dated orders cannot honestly take.

export interface DemoVariant {
  id: string;
  productId: string;
  priceFen: number;
  /** The product's harvest months (1–12); empty: all year. */
  harvestMonths: number[];
}

export interface DemoShop {
  id: string;
  slug: string;
  county: { provinceZh: string; cityZh: string; nameZh: string };
  rates: ShippingRates;
  /** The county's own pickup points and lockers (those checkout offers every buyer). */
  points: { id: string; kind: "POINT" | "LOCKER" }[];
  variants: DemoVariant[];
}

export interface DemoCatalog {
  shops: DemoShop[];
}

export type StepAction =
  | "confirmPayment"
  | "accept"
  | "pack"
  | "handOver"
  | "deliver"
  | "cancel"
  /** Everything back before packing: the goods return to stock (REFUNDED). */
  | "refundFull"
  /** Part of the money back after delivery; nothing returns to stock. */
  | "refundPartial";

export interface Step {
  action: StepAction;
  at: Date;
}

export interface PlannedShopOrder {
  shopId: string;
  delivery: "HOME" | "PICKUP_POINT" | "LOCKER";
  pickupPointId: string | null;
  addressRegion: string | null;
  addressLine: string | null;
  note: string | null;
  lines: { variantId: string; quantity: number }[];
  /** The cooperative's moves in time order, none after `now`. */
  steps: Step[];
}

export interface PlannedOrder {
  placedAt: Date;
  buyer: Buyer;
  method: "COD" | "BANK_TRANSFER";
  shopOrders: PlannedShopOrder[];
}

export interface PlanOptions {
  days: number;
  seed: number;
  now: Date;
  /** OFFLINE_RESERVATION_HOURS: an order is confirmed, accepted or cancelled within it, never left to expire. */
  holdHours: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Buyers shop in the evening more than at dawn (Shanghai hours 0–23). */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 4, 4, 4, 5, 4, 3, 3, 3, 3, 4, 6, 8, 8, 6, 3];
const SHANGHAI_OFFSET = 8 * HOUR;

function shanghaiMonth(at: Date): number {
  return new Date(at.getTime() + SHANGHAI_OFFSET).getUTCMonth() + 1;
}

/** In season three times as likely, out of season a third; all-year products in between. */
function seasonWeight(variant: DemoVariant, month: number): number {
  if (variant.harvestMonths.length === 0) return 1;
  return variant.harvestMonths.includes(month) ? 3 : 0.3;
}

function placementTime(rng: Rng, { days, now }: PlanOptions): Date {
  // A county that grows: a third of the orders lean towards the recent days.
  const age = rng.chance(0.33) ? 1 - Math.sqrt(rng.next()) : rng.next();
  const rough = now.getTime() - age * days * DAY;
  const dayStart = Math.floor((rough + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
  const hour = rng.weighted(
    HOUR_WEIGHTS.map((_, h) => h),
    (h) => HOUR_WEIGHTS[h]!,
  );
  const at = dayStart + hour * HOUR + rng.int(0, HOUR - 1);
  const earliest = now.getTime() - days * DAY;
  return new Date(at >= now.getTime() || at < earliest ? rough : at);
}

function quantity(rng: Rng): number {
  const r = rng.next();
  return r < 0.6 ? 1 : r < 0.85 ? 2 : rng.int(3, 5);
}

function steps(rng: Rng, method: PlannedOrder["method"], placedAt: Date, o: PlanOptions): Step[] {
  const out: Step[] = [];
  let t = placedAt.getTime();
  const after = (minMs: number, maxMs: number) => (t += minMs + Math.floor(rng.next() * (maxMs - minMs)));
  const add = (action: StepAction) => out.push({ action, at: new Date(t) });
  // Within the hold (OFFLINE_RESERVATION_HOURS), so no demo order is left to the expiry sweeper.
  after(10 * 60_000, Math.max(20 * 60_000, Math.min(20 * HOUR, o.holdHours * HOUR * 0.8)));
  if (method === "BANK_TRANSFER") {
    if (rng.chance(0.07)) {
      add("cancel");
      return cut(out, o.now);
    }
    add("confirmPayment");
    if (rng.chance(0.03)) {
      after(HOUR, 20 * HOUR);
      add("refundFull");
      return cut(out, o.now);
    }
  } else {
    if (rng.chance(0.05)) {
      add("cancel");
      return cut(out, o.now);
    }
    add("accept");
    if (rng.chance(0.04)) {
      after(HOUR, 24 * HOUR);
      add("cancel");
      return cut(out, o.now);
    }
  }
  // A few are packed late, so the dashboard's late list has something true to show.
  if (rng.chance(0.04)) after(50 * HOUR, 100 * HOUR);
  else after(2 * HOUR, 30 * HOUR);
  add("pack");
  after(HOUR, 20 * HOUR);
  add("handOver");
  after(18 * HOUR, 72 * HOUR);
  add("deliver");
  if (method === "BANK_TRANSFER" && rng.chance(0.04)) {
    after(10 * HOUR, 72 * HOUR);
    add("refundPartial");
  }
  return cut(out, o.now);
}

/** Nothing happens after `now`: an order placed yesterday is still on its way. */
function cut(list: Step[], now: Date): Step[] {
  const first = list.findIndex((s) => s.at.getTime() > now.getTime());
  return first === -1 ? list : list.slice(0, first);
}

/** One order, drawn from `rng` (orders are drawn one after another from one generator). */
function planOne(rng: Rng, catalog: DemoCatalog, o: PlanOptions, placedAt: Date): PlannedOrder {
  const month = shanghaiMonth(placedAt);
  const shopWeight = (s: DemoShop) => s.variants.reduce((sum, v) => sum + seasonWeight(v, month), 0);
  const shopCount = Math.min(
    catalog.shops.length,
    rng.weighted([1, 2, 3], (n) => [0.72, 0.22, 0.06][n - 1]!),
  );
  const lineCount = Math.max(
    shopCount,
    rng.weighted([1, 2, 3, 4], (n) => [0.45, 0.3, 0.15, 0.1][n - 1]!),
  );
  const shops: DemoShop[] = [];
  while (shops.length < shopCount) {
    const left = catalog.shops.filter((s) => !shops.includes(s));
    shops.push(rng.weighted(left, shopWeight));
  }
  const who = buyer(rng);
  const method = rng.chance(0.25) ? "COD" : "BANK_TRANSFER";
  const home = homeAddress(rng, shops[0]!.county);
  const shopOrders = shops.map((shop, index): PlannedShopOrder => {
    // Every shop gets one line; the rest go to the first shops.
    const wanted = index === 0 ? lineCount - (shopCount - 1) : 1;
    const chosen: DemoVariant[] = [];
    while (chosen.length < Math.min(wanted, shop.variants.length)) {
      const left = shop.variants.filter((v) => !chosen.includes(v));
      chosen.push(rng.weighted(left, (v) => seasonWeight(v, month)));
    }
    const hasPoint = shop.points.some((p) => p.kind === "POINT");
    const hasLocker = shop.points.some((p) => p.kind === "LOCKER");
    const r = rng.next();
    const delivery = r < 0.22 && hasPoint ? "PICKUP_POINT" : r >= 0.22 && r < 0.4 && hasLocker ? "LOCKER" : "HOME";
    const kind = delivery === "LOCKER" ? "LOCKER" : "POINT";
    const points = shop.points.filter((p) => p.kind === kind);
    return {
      shopId: shop.id,
      delivery,
      pickupPointId: delivery === "HOME" ? null : rng.pick(points).id,
      addressRegion: delivery === "HOME" ? home.region : null,
      addressLine: delivery === "HOME" ? home.line : null,
      note: deliveryNote(rng),
      lines: chosen.map((v) => ({ variantId: v.id, quantity: quantity(rng) })),
      steps: steps(rng, method, placedAt, o),
    };
  });
  return { placedAt, buyer: who, method, shopOrders };
}

/**
 * The orders one by one, in the order they were placed (a generator: a million need not sit in
 * memory at once). Checkout writes a county's rows in time order, so a filled table lies on disk
 * as a real one does (the reports read it in that order; docs/perf.md, "County reports"). The
 * times come from a stream of their own, sorted once: 8 bytes an order.
 */
export function* planOrders(catalog: DemoCatalog, count: number, o: PlanOptions): Generator<PlannedOrder> {
  const usable: DemoCatalog = { shops: catalog.shops.filter((s) => s.variants.length > 0) };
  if (usable.shops.length === 0) return;
  const rng = createRng(o.seed);
  const timeRng = createRng(o.seed ^ 0x5bd1e995);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = placementTime(timeRng, o).getTime();
  times.sort();
  for (let i = 0; i < count; i++) yield planOne(rng, usable, o, new Date(times[i]!));
}

/** A step's moment, or null when the shop order never got there. */
export function stepAt(so: PlannedShopOrder, action: StepAction): Date | null {
  return so.steps.find((s) => s.action === action)?.at ?? null;
}
