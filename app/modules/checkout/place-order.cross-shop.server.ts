import { randomInt } from "node:crypto";
import { unscopedDb, type Tx } from "~/db/index.server";
import { env } from "~/env.server";
import { pick } from "~/lib/i18n";
import { hold, type HoldRefusal } from "~/modules/orders/inventory.server";
import type { CheckoutInput } from "./checkout-schema";
import { quote } from "./quote";

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

/**
 * The cart as checkout sees it, grouped by shop, with the pickup points each shop's parcels can
 * go to: the county's own (no city: its villages' stations and lockers) and, once the buyer
 * names a region, those of logistics partners' networks in the buyer's own city or district.
 */
export async function loadCheckoutCart(
  client: Tx | ReturnType<typeof unscopedDb>,
  cartId: string,
  lng: string,
  { region = null }: { region?: string | null } = {},
): Promise<CheckoutGroup[]> {
  const nearBuyer = await pickupPointsIn(client, region);
  const rows = await client.cartLine.findMany({
    where: { cartId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      quantity: true,
      seenPriceFen: true,
      slotId: true,
      shop: {
        select: {
          id: true,
          slug: true,
          status: true,
          nameZh: true,
          nameEn: true,
          shippingHomeFen: true,
          shippingPickupFen: true,
          freeShippingFromFen: true,
          county: {
            select: {
              nameZh: true,
              nameEn: true,
              pickupPoints: { where: { active: true, cityZh: null }, orderBy: { code: "asc" } },
            },
          },
        },
      },
      product: {
        select: {
          id: true,
          slug: true,
          kind: true,
          status: true,
          titleZh: true,
          titleEn: true,
          presale: true,
          presaleShipBy: true,
        },
      },
      variant: {
        select: { id: true, sku: true, titleZh: true, titleEn: true, unit: true, priceFen: true, status: true },
      },
      slot: { select: { startsAt: true } },
    },
  });
  const groups = new Map<string, CheckoutGroup>();
  for (const r of rows) {
    const available = r.shop.status === "LIVE" && r.product.status === "ACTIVE" && r.variant.status === "ACTIVE";
    const line: CheckoutLine = {
      id: r.id,
      shopId: r.shop.id,
      productId: r.product.id,
      productSlug: r.product.slug,
      variantId: r.variant.id,
      slotId: r.slotId,
      kind: r.product.kind,
      title: pick(lng, r.product.titleZh, r.product.titleEn),
      titleZh: r.product.titleZh,
      titleEn: r.product.titleEn,
      variantTitle: pick(lng, r.variant.titleZh, r.variant.titleEn),
      variantTitleZh: r.variant.titleZh,
      variantTitleEn: r.variant.titleEn,
      sku: r.variant.sku,
      unit: r.variant.unit,
      quantity: r.quantity,
      seenPriceFen: r.seenPriceFen,
      unitPriceFen: r.variant.priceFen,
      lineTotalFen: r.variant.priceFen * r.quantity,
      slotStartsAt: r.slot?.startsAt ?? null,
      presale: r.product.presale,
      presaleShipBy: r.product.presaleShipBy,
      available,
    };
    let group = groups.get(r.shop.id);
    if (!group) {
      group = {
        shopId: r.shop.id,
        slug: r.shop.slug,
        name: pick(lng, r.shop.nameZh, r.shop.nameEn),
        countyName: pick(lng, r.shop.county.nameZh, r.shop.county.nameEn),
        rates: {
          shippingHomeFen: r.shop.shippingHomeFen,
          shippingPickupFen: r.shop.shippingPickupFen,
          freeShippingFromFen: r.shop.freeShippingFromFen,
        },
        lines: [],
        hasGoods: false,
        goodsSubtotalFen: 0,
        subtotalFen: 0,
        pickupPoints: [...r.shop.county.pickupPoints, ...nearBuyer].map((p) => ({
          id: p.id,
          kind: p.kind,
          name: pick(lng, p.nameZh, p.nameEn),
          address: pick(lng, p.addressZh, p.addressEn),
        })),
      };
      groups.set(r.shop.id, group);
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
async function pickupPointsIn(client: Tx | ReturnType<typeof unscopedDb>, region: string | null | undefined) {
  const text = normaliseRegion(region);
  if (!text) return [];
  return client.$queryRaw<
    { id: string; kind: "POINT" | "LOCKER"; nameZh: string; nameEn: string; addressZh: string; addressEn: string }[]
  >`
    SELECT p.id, p.kind::text AS kind, p."nameZh", p."nameEn", p."addressZh", p."addressEn"
      FROM "PickupPoint" p JOIN "LogisticsPartner" lp ON lp.id = p."partnerId"
     WHERE p.active AND lp.active AND p."cityZh" IS NOT NULL
       AND (strpos(${text}, NULLIF(p."cityZh", '')) > 0
            OR strpos(${text}, NULLIF(p."districtZh", '')) > 0
            OR strpos(lower(${text}), lower(NULLIF(p."cityEn", ''))) > 0
            OR strpos(lower(${text}), lower(NULLIF(p."districtEn", ''))) > 0)
     ORDER BY p."cityZh", p."districtZh", p.code
     LIMIT 100`;
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
  | { ok: true; orderId: string; number: string; paymentId: string; provider: "STRIPE" | "OFFLINE"; totalFen: number }
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

function orderNumber(now: Date): string {
  // yymmdd in Shanghai time, then six random digits: short enough to read out on the phone.
  const day = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "2-digit",
    month: "2-digit",
    day: "2-digit",
  })
    .format(now)
    .replaceAll("-", "");
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
      // PostgreSQL broke a deadlock or write conflict by aborting us, or the random order number
      // was already taken today: nothing was written, try again (with a new number).
      if (isRetryable(error) && attempt < 5) continue;
      throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  const message = String((error as Error | null)?.message);
  if (code === "P2002" && /Order_number_key/.test(message)) return true;
  return code === "P2034" || /deadlock detected|could not serialize/i.test(message);
}

async function placeOnce({
  cartId,
  userId,
  input,
  lng,
  now,
  feeBps,
  expiresAt,
}: {
  cartId: string;
  userId: string | null;
  input: CheckoutInput;
  lng: string;
  now: Date;
  feeBps: number;
  expiresAt: Date;
}): Promise<PlaceOrderResult> {
  return await unscopedDb().$transaction(
    async (tx): Promise<PlaceOrderResult> => {
      // One checkout per cart at a time; a second press of the button waits here, then finds the order.
      await tx.$queryRaw`SELECT id FROM "Cart" WHERE id = ${cartId} FOR UPDATE`;
      const existing = await tx.order.findUnique({
        where: { checkoutKey: input.checkoutKey },
        select: { id: true, number: true },
      });
      if (existing) return { ok: false, reason: "DUPLICATE", number: existing.number, orderId: existing.id };

      const groups = await loadCheckoutCart(tx, cartId, lng, { region: input.pickupRegion });
      if (groups.length === 0) return { ok: false, reason: "EMPTY" };
      const changes = changesIn(groups, now);
      if (changes.length > 0) return { ok: false, reason: "CHANGED", changes };
      const fieldErrors = fieldErrorsFor(groups, input);
      if (Object.keys(fieldErrors).length > 0) return { ok: false, reason: "INVALID", fieldErrors };

      const choices = Object.fromEntries(input.shops.map((s) => [s.shopId, s.delivery] as const));
      const totals = quote(groups, choices);
      if (totals.totalFen !== input.expectedTotalFen) {
        return {
          ok: false,
          reason: "CHANGED",
          changes: [
            { lineId: null, title: null, kind: "TOTAL_CHANGED", from: input.expectedTotalFen, to: totals.totalFen },
          ],
        };
      }

      // Hold in a fixed order (variant, then slot) so that two orders never wait on each other.
      const lines = groups.flatMap((g) => g.lines);
      const number = orderNumber(now);
      for (const line of [...lines].sort((a, b) =>
        (a.variantId + (a.slotId ?? "")).localeCompare(b.variantId + (b.slotId ?? "")),
      )) {
        const refusal: HoldRefusal | null = await hold(tx, {
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
        });
        if (refusal) {
          throw new HoldRefused(
            refusal.kind === "UNAVAILABLE"
              ? { lineId: line.id, title: line.title, kind: "UNAVAILABLE" }
              : { lineId: line.id, title: line.title, kind: refusal.kind, available: refusal.available },
          );
        }
      }

      const order = await tx.order.create({
        data: {
          number,
          userId,
          contactName: input.contactName,
          contactPhone: input.contactPhone,
          locale: lng,
          provider: input.provider,
          offlineMethod: input.provider === "OFFLINE" ? (input.offlineMethod ?? "COD") : null,
          totalFen: totals.totalFen,
          checkoutKey: input.checkoutKey,
          expiresAt,
          createdAt: now,
        },
        select: { id: true },
      });
      for (const [index, group] of groups.entries()) {
        const q = totals.shops[index]!;
        const choice = input.shops.find((s) => s.shopId === group.shopId);
        const home = q.delivery === "HOME";
        const shopOrder = await tx.shopOrder.create({
          data: {
            shopId: group.shopId,
            orderId: order.id,
            number: `${number}-${index + 1}`,
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
            feeBps,
            createdAt: now,
          },
          select: { id: true },
        });
        await tx.shopOrderEvent.create({
          data: {
            shopId: group.shopId,
            shopOrderId: shopOrder.id,
            toStatus: "AWAITING_PAYMENT",
            actorKind: "BUYER",
            actorUserId: userId,
            createdAt: now,
          },
        });
        for (const line of group.lines) {
          const visitors = input.visitors.find((v) => v.lineId === line.id)?.names ?? [];
          const saved = await tx.shopOrderLine.create({
            data: {
              shopId: group.shopId,
              shopOrderId: shopOrder.id,
              productId: line.productId,
              variantId: line.variantId,
              slotId: line.slotId,
              kind: line.kind,
              titleZh: line.titleZh,
              titleEn: line.titleEn,
              variantTitleZh: line.variantTitleZh,
              variantTitleEn: line.variantTitleEn,
              sku: line.sku,
              unit: line.unit,
              unitPriceFen: line.unitPriceFen,
              quantity: line.quantity,
              lineTotalFen: line.lineTotalFen,
              slotStartsAt: line.slotStartsAt,
              visitorNames: line.kind === "EXPERIENCE" ? visitors : [],
              presale: line.presale,
              presaleShipBy: line.presaleShipBy,
            },
            select: { id: true },
          });
          await tx.reservation.create({
            data: {
              shopId: group.shopId,
              shopOrderId: shopOrder.id,
              lineId: saved.id,
              variantId: line.kind === "EXPERIENCE" ? null : line.variantId,
              slotId: line.slotId,
              presaleProductId: line.presale ? line.productId : null,
              quantity: line.quantity,
              expiresAt,
            },
          });
        }
      }
      const payment = await tx.payment.create({
        data: {
          orderId: order.id,
          provider: input.provider,
          amountFen: totals.totalFen,
          idempotencyKey: `pay_${order.id}_1`,
        },
        select: { id: true },
      });
      await tx.cartLine.deleteMany({ where: { cartId } });
      return {
        ok: true,
        orderId: order.id,
        number,
        paymentId: payment.id,
        provider: input.provider,
        totalFen: totals.totalFen,
      };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}
