import { randomInt } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import { unscopedDb } from "~/db/index.server";
import { asSqlRunner, prismaRunner, rawSqlTransaction, type SqlRunner } from "~/db/sql-runner.server";
import { env } from "~/env.server";
import { pick } from "~/lib/i18n";
import { newRowId } from "~/db/ids.server";
import {
  heldRowsSql,
  holdCtes,
  refusalIn,
  unholdable,
  type HeldRows,
  type HoldRefused as Refused,
  type HoldRequest,
} from "~/modules/orders/inventory.server";
import { orderPlacedNotice, type PlacedNotice } from "~/modules/orders/notify-buyer.cross-shop.server";
import type { CheckoutInput } from "./checkout-schema";
import { quote } from "./quote";
import { parseQuotedDeliveries } from "./form-values";

// Placing an order (issue #5): the cart is read again, prices and availability re-checked,
// and in ONE transaction everything is held (stock, slot places, pre-sale yield), the order
// is split into one shop order per cooperative with lines that copy what was sold, and the
// cart is emptied. A refusal anywhere rolls it all back. Payment starts after the commit.

export type CheckoutChange =
  | { lineId: string; title: string; kind: "PRICE_CHANGED"; from: number; to: number }
  | { lineId: string; title: string; kind: "UNAVAILABLE" | "SLOT_PAST" }
  | { lineId: string; title: string; kind: "NOT_ENOUGH_STOCK" | "SLOT_FULL" | "PRESALE_CAP"; available: number }
  | { lineId: null; title: null; kind: "TOTAL_CHANGED"; from: number; to: number };

export interface CheckoutLine {
  id: string;
  shopId: string;
  productId: string;
  productSlug: string;
  variantId: string;
  slotId: string | null;
  kind: "PRODUCE" | "SPECIALTY" | "EXPERIENCE";
  title: string;
  titleZh: string;
  titleEn: string | null;
  variantTitle: string;
  variantTitleZh: string;
  variantTitleEn: string | null;
  sku: string;
  unit: string;
  quantity: number;
  seenPriceFen: number;
  unitPriceFen: number;
  lineTotalFen: number;
  slotStartsAt: Date | null;
  presale: boolean;
  presaleShipBy: Date | null;
  available: boolean;
}

export interface PickupOption {
  id: string;
  kind: "POINT" | "LOCKER";
  name: string;
  address: string;
}

export interface CheckoutGroup {
  shopId: string;
  slug: string;
  name: string;
  countyName: string;
  rates: { shippingHomeFen: number; shippingPickupFen: number; freeShippingFromFen: number | null };
  lines: CheckoutLine[];
  /** Goods to deliver (produce, 特产); a group of experiences only is visited, not shipped. */
  hasGoods: boolean;
  goodsSubtotalFen: number;
  subtotalFen: number;
  pickupPoints: PickupOption[];
}

interface CartRow {
  id: string;
  quantity: number;
  seenPriceFen: number;
  slotId: string | null;
  shopId: string;
  shopSlug: string;
  shopStatus: string;
  shopNameZh: string;
  shopNameEn: string;
  shippingHomeFen: number;
  shippingPickupFen: number;
  freeShippingFromFen: number | null;
  countyNameZh: string;
  countyNameEn: string;
  /** The county's own active pickup points (no city), by code. */
  countyPickupPoints: PickupRow[];
  productId: string;
  productSlug: string;
  kind: CheckoutLine["kind"];
  productStatus: string;
  titleZh: string;
  titleEn: string | null;
  presale: boolean;
  /** YYYY-MM-DD (as text: the same from either driver). */
  presaleShipBy: string | null;
  variantId: string;
  sku: string;
  variantTitleZh: string;
  variantTitleEn: string | null;
  unit: string;
  priceFen: number;
  variantStatus: string;
  slotStartsAt: Date | null;
}

type PickupRow = {
  id: string;
  kind: "POINT" | "LOCKER";
  nameZh: string;
  nameEn: string;
  addressZh: string;
  addressEn: string;
};

/**
 * The cart as checkout sees it, grouped by shop, with the pickup points each shop's parcels can
 * go to: the county's own (no city: its villages' stations and lockers) and, once the buyer
 * names a region, those of logistics partners' networks in the buyer's own city or district.
 * One statement for the lines with their shop, county, product, variant and slot (the county's
 * pickup points aggregated as JSON), instead of a query per relation (issue #12).
 */
export async function loadCheckoutCart(
  runner: Parameters<typeof asSqlRunner>[0],
  cartId: string,
  lng: string,
  { region = null }: { region?: string | null } = {},
): Promise<CheckoutGroup[]> {
  const client = asSqlRunner(runner);
  const nearBuyer = await pickupPointsIn(client, region);
  const rows = await client.query<CartRow>(Prisma.sql`
    SELECT l.id, l.quantity, l."seenPriceFen", l."slotId",
           s.id AS "shopId", s.slug AS "shopSlug", s.status::text AS "shopStatus", s."nameZh" AS "shopNameZh",
           s."nameEn" AS "shopNameEn", s."shippingHomeFen", s."shippingPickupFen", s."freeShippingFromFen",
           c."nameZh" AS "countyNameZh", c."nameEn" AS "countyNameEn",
           COALESCE((SELECT json_agg(json_build_object('id', p.id, 'kind', p.kind, 'nameZh', p."nameZh",
                                                       'nameEn', p."nameEn", 'addressZh', p."addressZh",
                                                       'addressEn', p."addressEn") ORDER BY p.code)
                       FROM "PickupPoint" p
                      WHERE p."countyId" = c.id AND p.active AND p."cityZh" IS NULL), '[]') AS "countyPickupPoints",
           pr.id AS "productId", pr.slug AS "productSlug", pr.kind::text AS kind, pr.status::text AS "productStatus",
           pr."titleZh", pr."titleEn", pr.presale,
           to_char(pr."presaleShipBy", 'YYYY-MM-DD') AS "presaleShipBy",
           v.id AS "variantId", v.sku, v."titleZh" AS "variantTitleZh", v."titleEn" AS "variantTitleEn", v.unit,
           v."priceFen", v.status::text AS "variantStatus", sl."startsAt" AS "slotStartsAt"
      FROM "CartLine" l
      JOIN "Shop" s ON s.id = l."shopId"
      JOIN "County" c ON c.id = s."countyId"
      JOIN "Product" pr ON pr."shopId" = l."shopId" AND pr.id = l."productId"
      JOIN "Variant" v ON v."shopId" = l."shopId" AND v.id = l."variantId"
      LEFT JOIN "ExperienceSlot" sl ON sl."shopId" = l."shopId" AND sl.id = l."slotId"
     WHERE l."cartId" = ${cartId}
     ORDER BY l."createdAt", l.id`);
  const groups = new Map<string, CheckoutGroup>();
  for (const r of rows) {
    const available = r.shopStatus === "LIVE" && r.productStatus === "ACTIVE" && r.variantStatus === "ACTIVE";
    const line: CheckoutLine = {
      id: r.id,
      shopId: r.shopId,
      productId: r.productId,
      productSlug: r.productSlug,
      variantId: r.variantId,
      slotId: r.slotId,
      kind: r.kind,
      title: pick(lng, r.titleZh, r.titleEn),
      titleZh: r.titleZh,
      titleEn: r.titleEn,
      variantTitle: pick(lng, r.variantTitleZh, r.variantTitleEn),
      variantTitleZh: r.variantTitleZh,
      variantTitleEn: r.variantTitleEn,
      sku: r.sku,
      unit: r.unit,
      quantity: r.quantity,
      seenPriceFen: r.seenPriceFen,
      unitPriceFen: r.priceFen,
      lineTotalFen: r.priceFen * r.quantity,
      slotStartsAt: r.slotStartsAt,
      presale: r.presale,
      presaleShipBy: r.presaleShipBy ? new Date(`${r.presaleShipBy}T00:00:00Z`) : null,
      available,
    };
    let group = groups.get(r.shopId);
    if (!group) {
      group = {
        shopId: r.shopId,
        slug: r.shopSlug,
        name: pick(lng, r.shopNameZh, r.shopNameEn),
        countyName: pick(lng, r.countyNameZh, r.countyNameEn),
        rates: {
          shippingHomeFen: r.shippingHomeFen,
          shippingPickupFen: r.shippingPickupFen,
          freeShippingFromFen: r.freeShippingFromFen,
        },
        lines: [],
        hasGoods: false,
        goodsSubtotalFen: 0,
        subtotalFen: 0,
        pickupPoints: [...r.countyPickupPoints, ...nearBuyer].map((p) => ({
          id: p.id,
          kind: p.kind,
          name: pick(lng, p.nameZh, p.nameEn),
          address: pick(lng, p.addressZh, p.addressEn),
        })),
      };
      groups.set(r.shopId, group);
    }
    group.lines.push(line);
    group.subtotalFen += line.lineTotalFen;
    if (line.kind !== "EXPERIENCE") {
      group.hasGoods = true;
      group.goodsSubtotalFen += line.lineTotalFen;
    }
  }
  return [...groups.values()];
}

/** The buyer's region as typed: at least two characters, at most 60, spaces folded. */
export function normaliseRegion(region: string | null | undefined): string | null {
  const text = (region ?? "").replace(/\s+/g, " ").trim().slice(0, 60);
  return text.length >= 2 ? text : null;
}

/**
 * Active partners' pickup points and lockers whose city or district the region names ("上海市浦东新区",
 * "浦东新区", "Shanghai"): the buyer's own city's, wherever the cooperative is.
 */
async function pickupPointsIn(client: SqlRunner, region: string | null | undefined) {
  const text = normaliseRegion(region);
  if (!text) return [];
  return client.query<{
    id: string;
    kind: "POINT" | "LOCKER";
    nameZh: string;
    nameEn: string;
    addressZh: string;
    addressEn: string;
  }>(Prisma.sql`
    SELECT p.id, p.kind::text AS kind, p."nameZh", p."nameEn", p."addressZh", p."addressEn"
      FROM "PickupPoint" p JOIN "LogisticsPartner" lp ON lp.id = p."partnerId"
     WHERE p.active AND lp.active AND p."cityZh" IS NOT NULL
       AND (strpos(${text}, NULLIF(p."cityZh", '')) > 0
            OR strpos(${text}, NULLIF(p."districtZh", '')) > 0
            OR strpos(lower(${text}), lower(NULLIF(p."cityEn", ''))) > 0
            OR strpos(lower(${text}), lower(NULLIF(p."districtEn", ''))) > 0)
     ORDER BY p."cityZh", p."districtZh", p.code
     LIMIT 100`);
}

/** What changed since the buyer put things in the cart: shown, never hidden. */
export function changesIn(groups: CheckoutGroup[], now: Date): CheckoutChange[] {
  const changes: CheckoutChange[] = [];
  for (const line of groups.flatMap((g) => g.lines)) {
    if (!line.available) changes.push({ lineId: line.id, title: line.title, kind: "UNAVAILABLE" });
    else if (line.kind === "EXPERIENCE" && (!line.slotStartsAt || line.slotStartsAt <= now))
      changes.push({ lineId: line.id, title: line.title, kind: "SLOT_PAST" });
    else if (line.seenPriceFen !== line.unitPriceFen)
      changes.push({
        lineId: line.id,
        title: line.title,
        kind: "PRICE_CHANGED",
        from: line.seenPriceFen,
        to: line.unitPriceFen,
      });
  }
  return changes;
}

export { quote, type GroupQuote } from "./quote";

export type PlaceOrderResult =
  | {
      ok: true;
      orderId: string;
      number: string;
      paymentId: string;
      provider: "STRIPE" | "OFFLINE";
      totalFen: number;
      /** What the order page's access check reads, so the caller need not read the order again. */
      access: { userId: string | null; contactPhone: string; checkoutKey: string };
      /** The buyer's "placed" message, recorded with the order: the caller sends it (sendOrderPlaced). */
      notice: Pick<PlacedNotice, "id" | "message">;
    }
  | { ok: false; reason: "EMPTY" }
  | { ok: false; reason: "DUPLICATE"; number: string; orderId: string }
  | { ok: false; reason: "CHANGED"; changes: CheckoutChange[] }
  | { ok: false; reason: "INVALID"; fieldErrors: Record<string, string[]> };

class HoldRefused extends Error {
  constructor(readonly change: CheckoutChange) {
    super("hold refused");
  }
}

function fieldErrorsFor(groups: CheckoutGroup[], input: CheckoutInput): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (path: string, key: string) => (errors[path] ??= []).push(key);
  groups.forEach((g) => {
    if (!g.hasGoods) return;
    const index = input.shops.findIndex((s) => s.shopId === g.shopId);
    if (index === -1) return add(`shops`, "checkout.errors.deliveryRequired");
    const choice = input.shops[index]!;
    if (choice.delivery !== "HOME") {
      const wanted = choice.delivery === "LOCKER" ? "LOCKER" : "POINT";
      const point = g.pickupPoints.find((p) => p.id === choice.pickupPointId);
      if (!point || point.kind !== wanted) add(`shops[${index}].pickupPointId`, "checkout.errors.pickupRequired");
    }
  });
  for (const line of groups.flatMap((g) => g.lines)) {
    if (line.kind !== "EXPERIENCE") continue;
    const index = input.visitors.findIndex((v) => v.lineId === line.id);
    const names = input.visitors[index]?.names ?? [];
    if (names.length !== line.quantity) {
      add(
        index === -1 ? "visitors" : `visitors[${index}].names`,
        `checkout.errors.visitorCount|${JSON.stringify({ count: line.quantity })}`,
      );
    }
  }
  return errors;
}

// Built once: a DateTimeFormat costs more to make than to use (it showed in the checkout's profile).
const shanghaiDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "2-digit",
  month: "2-digit",
  day: "2-digit",
});

function orderNumber(now: Date): string {
  // yymmdd in Shanghai time, then six random digits: short enough to read out on the phone.
  const day = shanghaiDay.format(now).replaceAll("-", "");
  return `${day}${String(randomInt(0, 1_000_000)).padStart(6, "0")}`;
}

export async function placeOrder({
  cartId,
  userId,
  input,
  lng,
  now = new Date(),
}: {
  cartId: string | null;
  userId: string | null;
  input: CheckoutInput;
  lng: string;
  now?: Date;
}): Promise<PlaceOrderResult> {
  if (!cartId) return { ok: false, reason: "EMPTY" };
  const settings = env();
  const feeBps = Math.round(settings.PLATFORM_FEE_PERCENT * 100);
  const holdMinutes =
    input.provider === "OFFLINE" ? settings.OFFLINE_RESERVATION_HOURS * 60 : settings.RESERVATION_MINUTES;
  const expiresAt = new Date(now.getTime() + holdMinutes * 60_000);

  for (let attempt = 1; ; attempt++) {
    try {
      return await placeOnce({ cartId, userId, input, lng, now, feeBps, expiresAt });
    } catch (error) {
      if (error instanceof HoldRefused) return { ok: false, reason: "CHANGED", changes: [error.change] };
      // This rendering's order was placed meanwhile from a cart filled again: that order, nothing new.
      if (isCode(error, "23505") && /Order_checkoutKey_key/.test(String((error as Error).message))) {
        const existing = await orderWithKey(prismaRunner(unscopedDb()), input.checkoutKey);
        if (existing) return { ok: false, reason: "DUPLICATE", number: existing.number, orderId: existing.id };
      }
      // PostgreSQL broke a deadlock or write conflict by aborting us, or the random order number
      // was already taken today: nothing was written, try again (with a new number).
      if (isRetryable(error) && attempt < 5) continue;
      throw error;
    }
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as { code?: string } | null)?.code === code;
}

/** The keys a random order number can collide on: the order's, and its shop orders' (number-1, …). */
const ORDER_NUMBER_KEYS = new Set(["Order_number_key", "ShopOrder_shopId_number_key"]);

function isRetryable(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  const message = String((error as Error | null)?.message);
  if (code === "23505") return ORDER_NUMBER_KEYS.has(constraint ?? /constraint "([^"]+)"/.exec(message)?.[1] ?? "");
  return code === "40P01" || code === "40001" || /deadlock detected|could not serialize/i.test(message);
}

/** One placement attempt's inputs. */
interface Placement {
  cartId: string;
  userId: string | null;
  input: CheckoutInput;
  lng: string;
  now: Date;
  feeBps: number;
  expiresAt: Date;
}

async function placeOnce({ cartId, userId, input, lng, now, feeBps, expiresAt }: Placement): Promise<PlaceOrderResult> {
  // On the driver itself, not Prisma's interactive transaction: a round trip per statement and
  // nothing else (issue #12, decision 034).
  return await rawSqlTransaction(async (tx): Promise<PlaceOrderResult> => {
    // One checkout per cart at a time; a second press of the button waits here, then finds the order.
    await tx.query(Prisma.sql`SELECT id FROM "Cart" WHERE id = ${cartId} FOR UPDATE`);
    // A statement of its own, after the lock: it sees the cart as an order committed while we waited left it.
    const groups = await loadCheckoutCart(tx, cartId, lng, { region: input.pickupRegion });
    if (groups.length === 0) {
      // The same rendering pressed twice empties the cart once: the second finds that order here.
      // (A cart filled again since is caught by the unique checkoutKey when the order is written.)
      const existing = await orderWithKey(tx, input.checkoutKey);
      if (existing) return { ok: false, reason: "DUPLICATE", number: existing.number, orderId: existing.id };
      return { ok: false, reason: "EMPTY" };
    }
    const changes = changesIn(groups, now);
    if (changes.length > 0) return { ok: false, reason: "CHANGED", changes };
    const fieldErrors = fieldErrorsFor(groups, input);
    if (Object.keys(fieldErrors).length > 0) return { ok: false, reason: "INVALID", fieldErrors };

    const choices = Object.fromEntries(input.shops.map((s) => [s.shopId, s.delivery] as const));
    const totals = quote(groups, choices);
    // The buyer's total was computed for the deliveries the page quoted (without JavaScript,
    // those it was rendered with); what counts as a change is that total now being different.
    // The charge is always for the deliveries chosen, whose fees the page shows beside them.
    const quoted = quote(groups, { ...choices, ...parseQuotedDeliveries(input.quotedDeliveries) });
    if (quoted.totalFen !== input.expectedTotalFen) {
      return {
        ok: false,
        reason: "CHANGED",
        changes: [
          {
            lineId: null,
            title: null,
            kind: "TOTAL_CHANGED",
            from: input.expectedTotalFen + (totals.totalFen - quoted.totalFen),
            to: totals.totalFen,
          },
        ],
      };
    }

    // Everything is held by the order's own statement (inventory.holdCtes keeps the lock order and the
    // buyers' line): the variant's lock is then held for that statement and the COMMIT only (decision 042).
    const lines = groups.flatMap((g) => g.lines);
    const number = orderNumber(now);
    const lineOf = new Map<HoldRequest, CheckoutLine>();
    for (const line of lines) {
      const request: HoldRequest = {
        shopId: line.shopId,
        productId: line.productId,
        variantId: line.variantId,
        slotId: line.slotId,
        kind: line.kind,
        presale: line.presale,
        quantity: line.quantity,
        orderNumber: number,
        userId,
        now,
      };
      lineOf.set(request, line);
    }
    const requests = [...lineOf.keys()];
    const refuse = (refused: Refused) => {
      const line = lineOf.get(refused.request)!;
      const { refusal } = refused;
      return new HoldRefused(
        refusal.kind === "UNAVAILABLE"
          ? { lineId: line.id, title: line.title, kind: "UNAVAILABLE" }
          : { lineId: line.id, title: line.title, kind: refusal.kind, available: refusal.available },
      );
    };
    const unheld = unholdable(requests);
    if (unheld) throw refuse(unheld);

    // The buyer's "placed" message is written with the order, in the same statement (decision 040).
    const notice = orderPlacedNotice({
      number,
      contactPhone: input.contactPhone,
      locale: lng,
      totalFen: totals.totalFen,
    });
    const { held, ...ids } = await writeOrder(tx, {
      cartId,
      userId,
      input,
      lng,
      now,
      feeBps,
      expiresAt,
      number,
      groups,
      totals,
      notice,
      holds: requests,
    });
    // A line refused: the throw rolls back the order written with the other lines' holds.
    const refused = await refusalIn(tx, requests, held);
    if (refused) throw refuse(refused);

    return {
      ok: true,
      orderId: ids.orderId,
      number,
      paymentId: ids.paymentId,
      provider: input.provider,
      totalFen: totals.totalFen,
      access: { userId, contactPhone: input.contactPhone, checkoutKey: input.checkoutKey },
      notice: { id: notice.id, message: notice.message },
    };
  });
}

async function orderWithKey(tx: SqlRunner, checkoutKey: string) {
  const [row] = await tx.query<{ id: string; number: string }>(
    Prisma.sql`SELECT id, number FROM "Order" WHERE "checkoutKey" = ${checkoutKey}`,
  );
  return row ?? null;
}

/**
 * The order, its shop orders with their first event, the snapshot lines with their
 * reservations, the payment, the buyer's "placed" message and the emptied cart: one statement of data-modifying CTEs
 * over arrays (unnest), however many shops and lines, instead of a round trip per row
 * (issue #12). Ids are made here because Prisma's @default(cuid()) does not run for raw SQL;
 * foreign keys are checked at the end of the statement, when every row exists.
 */
async function writeOrder(
  tx: SqlRunner,
  o: Placement & {
    number: string;
    groups: CheckoutGroup[];
    totals: ReturnType<typeof quote>;
    notice: PlacedNotice;
    holds: HoldRequest[];
  },
): Promise<{ orderId: string; paymentId: string; held: HeldRows }> {
  const { input, groups, totals } = o;
  const orderId = newRowId();
  const paymentId = newRowId();
  const shopOrders = groups.map((group, index) => {
    const q = totals.shops[index]!;
    const choice = input.shops.find((s) => s.shopId === group.shopId);
    const home = q.delivery === "HOME";
    return {
      id: newRowId(),
      eventId: newRowId(),
      shopId: group.shopId,
      number: `${o.number}-${index + 1}`,
      delivery: q.delivery,
      recipientName: group.hasGoods ? input.contactName : null,
      recipientPhone: group.hasGoods ? input.contactPhone : null,
      addressRegion: home ? (choice?.addressRegion ?? null) : null,
      addressLine: home ? (choice?.addressLine ?? null) : null,
      pickupPointId: group.hasGoods && !home ? (choice?.pickupPointId ?? null) : null,
      note: choice?.note ?? null,
      subtotalFen: q.subtotalFen,
      shippingFen: q.shippingFen,
      totalFen: q.totalFen,
    };
  });
  const lines = groups.flatMap((group, index) =>
    group.lines.map((line) => ({
      ...line,
      id: newRowId(),
      reservationId: newRowId(),
      shopOrderId: shopOrders[index]!.id,
      visitorNames: line.kind === "EXPERIENCE" ? (input.visitors.find((v) => v.lineId === line.id)?.names ?? []) : [],
    })),
  );
  const at = o.now.toISOString();
  // The dashboard's buyer (the order's user, else its mobile), as the triggers of migration
  // …_dashboard_buyer_key would set it: set here, it is written once (decision 034).
  const buyerKey = o.userId ? `u:${o.userId}` : `p:${input.contactPhone}`;
  const column = <T, K extends keyof T>(rows: T[], key: K) => rows.map((row) => row[key]);
  const [held] = await tx.query<HeldRows>(Prisma.sql`
    WITH ${holdCtes(o.holds)}, new_order AS (
      INSERT INTO "Order" (id, number, "userId", "contactName", "contactPhone", locale, provider, "offlineMethod",
                           "totalFen", "checkoutKey", "expiresAt", "createdAt", "updatedAt")
      VALUES (${orderId}, ${o.number}, ${o.userId}, ${input.contactName}, ${input.contactPhone}, ${o.lng},
              ${input.provider}::"PaymentProvider", ${input.provider === "OFFLINE" ? (input.offlineMethod ?? "COD") : null},
              ${totals.totalFen}, ${input.checkoutKey}, ${o.expiresAt.toISOString()}::timestamptz, ${at}::timestamptz,
              ${at}::timestamptz)
    ), shop_orders AS (
      INSERT INTO "ShopOrder" (id, "shopId", "orderId", number, delivery, "recipientName", "recipientPhone",
                               "addressRegion", "addressLine", "pickupPointId", note, "subtotalFen", "shippingFen",
                               "totalFen", "feeBps", "buyerKey", "createdAt", "updatedAt")
      SELECT id, "shopId", ${orderId}, number, delivery::"DeliveryMethod", "recipientName", "recipientPhone",
             "addressRegion", "addressLine", "pickupPointId", note, "subtotalFen", "shippingFen", "totalFen",
             ${o.feeBps}, ${buyerKey}, ${at}::timestamptz, ${at}::timestamptz
        FROM unnest(${column(shopOrders, "id")}::text[], ${column(shopOrders, "shopId")}::text[],
                    ${column(shopOrders, "number")}::text[], ${column(shopOrders, "delivery")}::text[],
                    ${column(shopOrders, "recipientName")}::text[], ${column(shopOrders, "recipientPhone")}::text[],
                    ${column(shopOrders, "addressRegion")}::text[], ${column(shopOrders, "addressLine")}::text[],
                    ${column(shopOrders, "pickupPointId")}::text[], ${column(shopOrders, "note")}::text[],
                    ${column(shopOrders, "subtotalFen")}::int[], ${column(shopOrders, "shippingFen")}::int[],
                    ${column(shopOrders, "totalFen")}::int[])
             AS w(id, "shopId", number, delivery, "recipientName", "recipientPhone", "addressRegion", "addressLine",
                  "pickupPointId", note, "subtotalFen", "shippingFen", "totalFen")
    ), events AS (
      INSERT INTO "ShopOrderEvent" (id, "shopId", "shopOrderId", "toStatus", "actorKind", "actorUserId", "createdAt")
      SELECT id, "shopId", "shopOrderId", 'AWAITING_PAYMENT'::"ShopOrderStatus", 'BUYER'::"ActorKind", ${o.userId},
             ${at}::timestamptz
        FROM unnest(${column(shopOrders, "eventId")}::text[], ${column(shopOrders, "shopId")}::text[],
                    ${column(shopOrders, "id")}::text[]) AS w(id, "shopId", "shopOrderId")
    ), order_lines AS (
      INSERT INTO "ShopOrderLine" (id, "shopId", "shopOrderId", "productId", "variantId", "slotId", kind, "titleZh",
                                   "titleEn", "variantTitleZh", "variantTitleEn", sku, unit, "unitPriceFen", quantity,
                                   "lineTotalFen", "slotStartsAt", "visitorNames", presale, "presaleShipBy")
      SELECT id, "shopId", "shopOrderId", "productId", "variantId", "slotId", kind::"ProductKind", "titleZh", "titleEn",
             "variantTitleZh", "variantTitleEn", sku, unit, "unitPriceFen", quantity, "lineTotalFen", "slotStartsAt",
             ARRAY(SELECT json_array_elements_text(visitors::json)), presale, "presaleShipBy"
        FROM unnest(${column(lines, "id")}::text[], ${column(lines, "shopId")}::text[],
                    ${column(lines, "shopOrderId")}::text[], ${column(lines, "productId")}::text[],
                    ${column(lines, "variantId")}::text[], ${column(lines, "slotId")}::text[],
                    ${column(lines, "kind")}::text[], ${column(lines, "titleZh")}::text[],
                    ${column(lines, "titleEn")}::text[], ${column(lines, "variantTitleZh")}::text[],
                    ${column(lines, "variantTitleEn")}::text[], ${column(lines, "sku")}::text[],
                    ${column(lines, "unit")}::text[], ${column(lines, "unitPriceFen")}::int[],
                    ${column(lines, "quantity")}::int[], ${column(lines, "lineTotalFen")}::int[],
                    ${lines.map((l) => l.slotStartsAt?.toISOString() ?? null)}::timestamptz[],
                    ${lines.map((l) => JSON.stringify(l.visitorNames))}::text[], ${column(lines, "presale")}::boolean[],
                    ${lines.map((l) => l.presaleShipBy?.toISOString().slice(0, 10) ?? null)}::date[])
             AS w(id, "shopId", "shopOrderId", "productId", "variantId", "slotId", kind, "titleZh", "titleEn",
                  "variantTitleZh", "variantTitleEn", sku, unit, "unitPriceFen", quantity, "lineTotalFen",
                  "slotStartsAt", visitors, presale, "presaleShipBy")
    ), reservations AS (
      INSERT INTO "Reservation" (id, "shopId", "shopOrderId", "lineId", "variantId", "slotId", "presaleProductId",
                                 quantity, "expiresAt", "updatedAt")
      SELECT id, "shopId", "shopOrderId", "lineId", "variantId", "slotId", "presaleProductId", quantity,
             ${o.expiresAt.toISOString()}::timestamptz, ${at}::timestamptz
        FROM unnest(${column(lines, "reservationId")}::text[], ${column(lines, "shopId")}::text[],
                    ${column(lines, "shopOrderId")}::text[], ${column(lines, "id")}::text[],
                    ${lines.map((l) => (l.kind === "EXPERIENCE" ? null : l.variantId))}::text[],
                    ${column(lines, "slotId")}::text[],
                    ${lines.map((l) => (l.presale ? l.productId : null))}::text[], ${column(lines, "quantity")}::int[])
             AS w(id, "shopId", "shopOrderId", "lineId", "variantId", "slotId", "presaleProductId", quantity)
    ), payment AS (
      INSERT INTO "Payment" (id, "orderId", provider, "amountFen", "idempotencyKey", "updatedAt")
      VALUES (${paymentId}, ${orderId}, ${input.provider}::"PaymentProvider", ${totals.totalFen},
              ${`pay_${orderId}_1`}, ${at}::timestamptz)
    ), notice AS (
      ${o.notice.sql}
    ), emptied AS (
      DELETE FROM "CartLine" WHERE "cartId" = ${o.cartId}
    )
    SELECT ${heldRowsSql}`);
  return { orderId, paymentId, held: held! };
}
