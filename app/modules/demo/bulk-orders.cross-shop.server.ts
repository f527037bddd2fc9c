import { env } from "~/env.server";
import { shippingFen } from "~/modules/checkout/shipping";
import { feeFen } from "~/modules/ledger/fee";
import { loadDemoCatalog, type Query } from "./catalog.cross-shop.server";
import { planOrders, type DemoCatalog, type PlannedOrder } from "./plan";
import { ensureDemoStaff } from "./staff.server";

// The bulk path of `npm run demo:orders` (issue #11): orders by the hundred thousand, far too
// many for checkout and the order writer one by one. The plan is the real path's (plan.ts); the
// rows are what the writers would have left behind, computed here once per order and written
// in batches of about 50,000 lines, one INSERT … SELECT FROM unnest(…) per table and batch:
// Order, ShopOrder, ShopOrderLine (titles copied from the catalog as checkout copies them),
// Reservation, Payment (offline: stays PENDING, as the cooperative's confirmation leaves it),
// ShopOrderEvent, Refund, LedgerEntry (same kinds, amounts, dedupe keys and ids as ledger.server)
// and StockMovement with Variant.stock moved by the same sum. Goods that would run out are
// first received into stock ("received: demo"), as a cooperative would. The same fee function
// (ledger/fee.ts) and the same shipping rule (checkout/shipping.ts) as the real path.
// Plain SQL on a plain query function: PostgreSQL or the embedded PGlite, the app's connection
// or a benchmark's own client. Never writes roll-ups (triggers keep those).

export interface BulkClient {
  query: Query;
  /** When given, each batch is one transaction (all of it or none). */
  transaction?<T>(fn: (sql: { query: Query }) => Promise<T>): Promise<T>;
}

export interface BulkOptions {
  orders: number;
  days: number;
  seed: number;
  now?: Date;
  /** Lines per batch (default 50,000). */
  batchLines?: number;
  /** Orders planned before these are skipped (the real path placed them): plans stay one sequence. */
  skip?: number;
  /** Stop after the batch that reaches this many lines (the orders then are an upper bound). */
  maxLines?: number;
  /** Asked after each batch: true stops the run there (a time limit). */
  stop?: () => boolean;
  onProgress?: (p: BulkProgress) => void;
  /** Only these shops (slugs) take orders: the end-to-end server leaves the other shops' stock alone. */
  shops?: string[];
}

export interface BulkProgress {
  orders: number;
  lines: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface BulkResult extends BulkProgress {
  shopOrders: number;
}

const HOUR = 3_600_000;

type Status =
  "AWAITING_PAYMENT" | "ACCEPTED" | "PAID" | "PACKED" | "HANDED_OVER" | "DELIVERED" | "CANCELLED" | "REFUNDED";

/** Column arrays of one batch, filled order by order. */
class Batch {
  orders = cols(
    "id",
    "number",
    "contactName",
    "contactPhone",
    "offlineMethod",
    "totalFen",
    "status",
    "expiresAt",
    "paidAt",
    "createdAt",
    "updatedAt",
  );
  shopOrders = cols(
    "id",
    "shopId",
    "orderId",
    "number",
    "status",
    "delivery",
    "recipientName",
    "recipientPhone",
    "addressRegion",
    "addressLine",
    "pickupPointId",
    "note",
    "subtotalFen",
    "shippingFen",
    "totalFen",
    "feeBps",
    "refundedFen",
    "paidAt",
    "packedAt",
    "handedOverAt",
    "deliveredAt",
    "cancelledAt",
    "createdAt",
    "updatedAt",
  );
  lines = cols(
    "id",
    "shopId",
    "shopOrderId",
    "variantId",
    "unitPriceFen",
    "quantity",
    "refundedQuantity",
    "resStatus",
    "resExpiresAt",
    "resCreatedAt",
    "resUpdatedAt",
  );
  events = cols("id", "shopId", "shopOrderId", "fromStatus", "toStatus", "actorKind", "actorUserId", "createdAt");
  refunds = cols("id", "shopId", "shopOrderId", "amountFen", "lines", "restock", "createdAt");
  ledger = cols("shopId", "kind", "amountFen", "shopOrderId", "refundId", "dedupeKey", "memo", "createdAt");
  moves = cols("id", "shopId", "variantId", "delta", "reason", "userId", "createdAt");
  lineCount = 0;
  earliest = Infinity;
}

function cols<K extends string>(...names: K[]): Record<K, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<K, unknown[]>;
}

function push<K extends string>(table: Record<K, unknown[]>, row: Record<K, unknown>) {
  for (const key of Object.keys(table) as K[]) table[key].push(row[key] ?? null);
}

function rowsIn(b: Batch): number {
  // Lines count twice: each has its reservation too; orders twice: each has its payment.
  return (
    b.orders.id.length * 2 +
    b.shopOrders.id.length +
    b.lines.id.length * 2 +
    b.events.id.length +
    b.refunds.id.length +
    b.ledger.kind.length +
    b.moves.id.length
  );
}

/** yymmdd in Asia/Shanghai, as checkout numbers orders. */
function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR).toISOString().slice(2, 10).replaceAll("-", "");
}

/** 0 → A, 25 → Z, 26 → BA: letters, so bulk numbers never meet checkout's all-digit ones. */
function letters(n: number): string {
  let out = "";
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

interface Context {
  catalog: Map<string, { priceFen: number; shopId: string }>;
  rates: Map<string, DemoCatalog["shops"][number]["rates"]>;
  feeBps: number;
  holdHours: number;
  staff: string;
  run: string;
  perDay: Map<string, number>;
}

/** One planned order as the writers would have left it, appended to the batch. */
function addOrder(b: Batch, ctx: Context, plan: PlannedOrder, index: number) {
  const day = shanghaiDay(plan.placedAt);
  const seq = (ctx.perDay.get(day) ?? 0) + 1;
  ctx.perDay.set(day, seq);
  const number = `${day}${String(seq).padStart(6, "0")}${ctx.run}`;
  const orderId = `dm${ctx.run}o${index}`;
  const placed = plan.placedAt;
  const expiresAt = new Date(placed.getTime() + ctx.holdHours * HOUR);
  b.earliest = Math.min(b.earliest, placed.getTime());
  let orderTotal = 0;
  // When the last shop order left AWAITING_PAYMENT: the order's status is decided then (refreshOrderStatus).
  const decided: { at: number; statusThen: Status }[] = [];

  plan.shopOrders.forEach((p, k) => {
    const soId = `${orderId}s${k}`;
    const soNumber = `${number}-${k + 1}`;
    const lines = p.lines.map((l, j) => {
      const v = ctx.catalog.get(l.variantId)!;
      return {
        id: `${soId}l${j}`,
        variantId: l.variantId,
        quantity: l.quantity,
        unitPriceFen: v.priceFen,
        refunded: 0,
      };
    });
    const subtotal = lines.reduce((sum, l) => sum + l.unitPriceFen * l.quantity, 0);
    const shipping = shippingFen(ctx.rates.get(p.shopId)!, p.delivery, subtotal);
    const total = subtotal + shipping;
    orderTotal += total;
    const so = {
      status: "AWAITING_PAYMENT" as Status,
      refundedFen: 0,
      paidAt: null as Date | null,
      packedAt: null as Date | null,
      handedOverAt: null as Date | null,
      deliveredAt: null as Date | null,
      cancelledAt: null as Date | null,
      updatedAt: placed,
    };
    let res: { status: "HELD" | "CONVERTED" | "RELEASED"; updatedAt: Date } = { status: "HELD", updatedAt: placed };
    let events = 0;
    let moves = 0;
    let refunds = 0;
    const event = (to: Status, at: Date, actor: "BUYER" | "SHOP") => {
      push(b.events, {
        id: `${soId}e${events++}`,
        shopId: p.shopId,
        shopOrderId: soId,
        fromStatus: actor === "BUYER" ? null : so.status,
        toStatus: to,
        actorKind: actor,
        actorUserId: actor === "SHOP" ? ctx.staff : null,
        createdAt: at,
      });
      so.status = to;
      so.updatedAt = at;
    };
    const move = (variantId: string, delta: number, reason: string, userId: string | null, at: Date) =>
      push(b.moves, {
        id: `${soId}m${moves++}`,
        shopId: p.shopId,
        variantId,
        delta,
        reason: `${reason}: ${number}`,
        userId,
        createdAt: at,
      });
    const entry = (kind: string, amountFen: number, key: string, at: Date, refundId: string | null = null) => {
      if (amountFen !== 0)
        push(b.ledger, {
          shopId: p.shopId,
          kind,
          amountFen,
          shopOrderId: soId,
          refundId,
          dedupeKey: key,
          memo: soNumber,
          createdAt: at,
        });
    };
    /** Paid offline, the cash with the cooperative: recordSale(…, "OFFLINE"). */
    const paidOffline = (at: Date) => {
      so.paidAt = at;
      entry("SALE", total, `sale:${soId}`, at);
      entry("PLATFORM_FEE", -feeFen(total, ctx.feeBps), `fee:${soId}`, at);
      entry("OFFLINE_COLLECTED", -total, `collected:${soId}`, at);
    };
    // Placed: held in variant order, the first event by the buyer (placeOrder, inventory.hold).
    for (const l of [...lines].sort((x, y) => x.variantId.localeCompare(y.variantId)))
      move(l.variantId, -l.quantity, "reserved", null, placed);
    event("AWAITING_PAYMENT", placed, "BUYER");

    for (const step of p.steps) {
      const at = step.at;
      switch (step.action) {
        case "confirmPayment":
          event("PAID", at, "SHOP");
          res = { status: "CONVERTED", updatedAt: at };
          paidOffline(at);
          break;
        case "accept":
          event("ACCEPTED", at, "SHOP");
          res = { status: "CONVERTED", updatedAt: at };
          break;
        case "pack":
          event("PACKED", at, "SHOP");
          so.packedAt = at;
          break;
        case "handOver":
          event("HANDED_OVER", at, "SHOP");
          so.handedOverAt = at;
          break;
        case "deliver":
          event("DELIVERED", at, "SHOP");
          so.deliveredAt = at;
          // Cash on delivery: the cooperative collected it at the door (markCashCollected).
          if (plan.method === "COD" && so.paidAt === null) paidOffline(at);
          break;
        case "cancel":
          event("CANCELLED", at, "SHOP");
          so.cancelledAt = at;
          for (const l of [...lines].sort((x, y) => x.variantId.localeCompare(y.variantId)))
            move(l.variantId, l.quantity, "released", ctx.staff, at);
          res = { status: "RELEASED", updatedAt: at };
          break;
        case "refundFull":
        case "refundPartial": {
          const full = step.action === "refundFull";
          const amount = full ? total - so.refundedFen : partialRefund(total, lines[0]!.unitPriceFen);
          const refundId = `${soId}f${refunds++}`;
          const back = full ? lines.map((l) => ({ lineId: l.id, quantity: l.quantity - l.refunded })) : [];
          // Full refunds happen while the goods are still here (PAID): they return to stock.
          const restock = so.status === "PAID" || so.status === "PACKED";
          push(b.refunds, {
            id: refundId,
            shopId: p.shopId,
            shopOrderId: soId,
            amountFen: amount,
            lines: JSON.stringify(back),
            restock,
            createdAt: at,
          });
          for (const r of back) {
            const line = lines.find((l) => l.id === r.lineId)!;
            line.refunded += r.quantity;
            if (restock) move(line.variantId, r.quantity, "refunded", ctx.staff, at);
          }
          so.refundedFen += amount;
          entry("REFUND", -amount, `refund:${refundId}`, at, refundId);
          entry("FEE_REFUND", feeFen(amount, ctx.feeBps), `fee-refund:${refundId}`, at, refundId);
          entry("OFFLINE_COLLECTED", amount, `collected-refund:${refundId}`, at, refundId);
          if (so.refundedFen === total) event("REFUNDED", at, "SHOP");
          else so.updatedAt = at;
          break;
        }
      }
    }
    const first = p.steps[0];
    if (first) {
      const then: Status = first.action === "cancel" ? "CANCELLED" : first.action === "accept" ? "ACCEPTED" : "PAID";
      decided.push({ at: first.at.getTime(), statusThen: then });
    }

    push(b.shopOrders, {
      id: soId,
      shopId: p.shopId,
      orderId,
      number: soNumber,
      status: so.status,
      delivery: p.delivery,
      recipientName: plan.buyer.name,
      recipientPhone: plan.buyer.phone,
      addressRegion: p.addressRegion,
      addressLine: p.addressLine,
      pickupPointId: p.pickupPointId,
      note: p.note,
      subtotalFen: subtotal,
      shippingFen: shipping,
      totalFen: total,
      feeBps: ctx.feeBps,
      refundedFen: so.refundedFen,
      paidAt: so.paidAt,
      packedAt: so.packedAt,
      handedOverAt: so.handedOverAt,
      deliveredAt: so.deliveredAt,
      cancelledAt: so.cancelledAt,
      createdAt: placed,
      updatedAt: so.updatedAt,
    });
    for (const l of lines) {
      push(b.lines, {
        id: l.id,
        shopId: p.shopId,
        shopOrderId: soId,
        variantId: l.variantId,
        unitPriceFen: l.unitPriceFen,
        quantity: l.quantity,
        refundedQuantity: l.refunded,
        resStatus: res.status,
        resExpiresAt: expiresAt,
        resCreatedAt: placed,
        resUpdatedAt: res.updatedAt,
      });
      b.lineCount++;
    }
  });

  // The order is decided once no shop order awaits payment: PAID if any was paid or accepted then.
  let status = "AWAITING_PAYMENT";
  let paidAt: Date | null = null;
  let updatedAt = placed;
  if (decided.length === plan.shopOrders.length && decided.length > 0) {
    const last = Math.max(...decided.map((d) => d.at));
    const anyPaid = decided.some((d) => d.statusThen !== "CANCELLED");
    status = anyPaid ? "PAID" : "CANCELLED";
    paidAt = anyPaid ? new Date(last) : null;
    updatedAt = new Date(last);
  }
  push(b.orders, {
    id: orderId,
    number,
    contactName: plan.buyer.name,
    contactPhone: plan.buyer.phone,
    offlineMethod: plan.method,
    totalFen: orderTotal,
    status,
    expiresAt,
    paidAt,
    createdAt: placed,
    updatedAt,
  });
}

/** A partial refund: half of one unit's price, in whole yuan, at least one yuan. */
export function partialRefund(totalFen: number, unitPriceFen: number): number {
  return Math.min(totalFen, Math.max(100, Math.round(unitPriceFen / 200) * 100));
}

async function flush(sql: { query: Query }, b: Batch, staff: string, runBatch: string): Promise<void> {
  // Receive stock first where this batch would take a variant below zero (CHECK stock >= 0).
  const need = new Map<string, { shopId: string; delta: number; taken: number }>();
  b.moves.variantId.forEach((variantId, i) => {
    const v = need.get(variantId as string) ?? { shopId: b.moves.shopId[i] as string, delta: 0, taken: 0 };
    v.delta += b.moves.delta[i] as number;
    if ((b.moves.delta[i] as number) < 0) v.taken -= b.moves.delta[i] as number;
    need.set(variantId as string, v);
  });
  const ids = [...need.keys()].sort();
  const shops = ids.map((id) => need.get(id)!.shopId);
  // By (shopId, id), the primary key (decision 028).
  const stock = await sql.query(
    `SELECT v.id, v.stock FROM "Variant" v JOIN unnest($1::text[], $2::text[]) AS u(shop, id)
        ON v."shopId" = u.shop AND v.id = u.id
      ORDER BY v.id FOR UPDATE OF v`,
    [shops, ids],
  );
  const received = new Date(b.earliest - 60_000);
  for (const row of stock) {
    const v = need.get(String(row.id))!;
    const short = v.taken - Number(row.stock);
    if (short > 0) {
      const amount = short + 50;
      push(b.moves, {
        id: `${runBatch}r${row.id}`,
        shopId: v.shopId,
        variantId: row.id,
        delta: amount,
        reason: "received: demo",
        userId: staff,
        createdAt: received,
      });
      v.delta += amount;
    }
  }

  const o = b.orders;
  await sql.query(
    `INSERT INTO "Order" (id, number, "userId", "contactName", "contactPhone", locale, status, provider, "offlineMethod",
                         "totalFen", currency, "checkoutKey", "expiresAt", "paidAt", "createdAt", "updatedAt")
     SELECT u.id, u.number, NULL, u.name, u.phone, 'zh-CN', u.status::"OrderStatus", 'OFFLINE', u.method,
            u.total, 'CNY', 'demo-' || u.id, u.expires, u.paid, u.created, u.updated
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
                   $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[])
            AS u(id, number, name, phone, method, total, status, expires, paid, created, updated)`,
    [
      o.id,
      o.number,
      o.contactName,
      o.contactPhone,
      o.offlineMethod,
      o.totalFen,
      o.status,
      o.expiresAt,
      o.paidAt,
      o.createdAt,
      o.updatedAt,
    ],
  );
  await sql.query(
    `INSERT INTO "Payment" (id, "orderId", provider, status, "amountFen", currency, "idempotencyKey", "createdAt", "updatedAt")
     SELECT u.id || 'p', u.id, 'OFFLINE', 'PENDING', u.total, 'CNY', 'pay_' || u.id || '_1', u.created, u.created
       FROM unnest($1::text[], $2::int[], $3::timestamptz[]) AS u(id, total, created)`,
    [o.id, o.totalFen, o.createdAt],
  );
  const s = b.shopOrders;
  await sql.query(
    `INSERT INTO "ShopOrder" (id, "shopId", "orderId", number, status, delivery, "recipientName", "recipientPhone",
                             "addressRegion", "addressLine", "pickupPointId", note, "subtotalFen", "shippingFen",
                             "totalFen", "feeBps", "refundedFen", "paidAt", "packedAt", "handedOverAt", "deliveredAt",
                             "cancelledAt", "createdAt", "updatedAt")
     SELECT u.id, u.shop, u.ord, u.number, u.status::"ShopOrderStatus", u.delivery::"DeliveryMethod", u.rname, u.rphone,
            u.region, u.line, u.point, u.note, u.sub, u.ship, u.total, u.fee, u.refunded, u.paid, u.packed, u.handed,
            u.delivered, u.cancelled, u.created, u.updated
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::int[], $15::int[], $16::int[],
                   $17::int[], $18::timestamptz[], $19::timestamptz[], $20::timestamptz[], $21::timestamptz[],
                   $22::timestamptz[], $23::timestamptz[], $24::timestamptz[])
            AS u(id, shop, ord, number, status, delivery, rname, rphone, region, line, point, note, sub, ship, total,
                 fee, refunded, paid, packed, handed, delivered, cancelled, created, updated)`,
    [
      s.id,
      s.shopId,
      s.orderId,
      s.number,
      s.status,
      s.delivery,
      s.recipientName,
      s.recipientPhone,
      s.addressRegion,
      s.addressLine,
      s.pickupPointId,
      s.note,
      s.subtotalFen,
      s.shippingFen,
      s.totalFen,
      s.feeBps,
      s.refundedFen,
      s.paidAt,
      s.packedAt,
      s.handedOverAt,
      s.deliveredAt,
      s.cancelledAt,
      s.createdAt,
      s.updatedAt,
    ],
  );
  const l = b.lines;
  // Titles, SKU and unit copied from the catalog, as checkout copies what was sold.
  await sql.query(
    `INSERT INTO "ShopOrderLine" (id, "shopId", "shopOrderId", "productId", "variantId", kind, "titleZh", "titleEn",
                                 "variantTitleZh", "variantTitleEn", sku, unit, "unitPriceFen", quantity, "lineTotalFen",
                                 "refundedQuantity", "visitorNames", presale)
     SELECT u.id, u.shop, u.so, v."productId", v.id, p.kind, p."titleZh", p."titleEn", v."titleZh", v."titleEn",
            v.sku, v.unit, u.price, u.qty, u.price * u.qty, u.refunded, '{}', false
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[])
            AS u(id, shop, so, variant, price, qty, refunded)
       JOIN "Variant" v ON v.id = u.variant AND v."shopId" = u.shop
       JOIN "Product" p ON p."shopId" = v."shopId" AND p.id = v."productId"`,
    [l.id, l.shopId, l.shopOrderId, l.variantId, l.unitPriceFen, l.quantity, l.refundedQuantity],
  );
  await sql.query(
    `INSERT INTO "Reservation" (id, "shopId", "shopOrderId", "lineId", "variantId", quantity, status, "expiresAt",
                               "createdAt", "updatedAt")
     SELECT u.id || 'r', u.shop, u.so, u.id, u.variant, u.qty, u.status::"ReservationStatus", u.expires, u.created, u.updated
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::timestamptz[],
                   $8::timestamptz[], $9::timestamptz[]) AS u(id, shop, so, variant, qty, status, expires, created, updated)`,
    [
      l.id,
      l.shopId,
      l.shopOrderId,
      l.variantId,
      l.quantity,
      l.resStatus,
      l.resExpiresAt,
      l.resCreatedAt,
      l.resUpdatedAt,
    ],
  );
  const e = b.events;
  await sql.query(
    `INSERT INTO "ShopOrderEvent" (id, "shopId", "shopOrderId", "fromStatus", "toStatus", "actorKind", "actorUserId", "createdAt")
     SELECT u.id, u.shop, u.so, u.fromst::"ShopOrderStatus", u.tost::"ShopOrderStatus", u.actor::"ActorKind", u.usr, u.at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
            AS u(id, shop, so, fromst, tost, actor, usr, at)`,
    [e.id, e.shopId, e.shopOrderId, e.fromStatus, e.toStatus, e.actorKind, e.actorUserId, e.createdAt],
  );
  const r = b.refunds;
  if (r.id.length > 0)
    await sql.query(
      `INSERT INTO "Refund" (id, "shopId", "shopOrderId", "paymentId", "amountFen", status, reason, lines, restock,
                            "idempotencyKey", "createdById", "createdAt", "completedAt")
       SELECT u.id, u.shop, u.so, NULL, u.amount, 'SUCCEEDED', NULL, u.lines::jsonb, u.restock, 'refund_' || u.id, $8,
              u.at, u.at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::boolean[], $7::timestamptz[])
              AS u(id, shop, so, amount, lines, restock, at)`,
      [r.id, r.shopId, r.shopOrderId, r.amountFen, r.lines, r.restock, r.createdAt, staff],
    );
  const g = b.ledger;
  await sql.query(
    `INSERT INTO "LedgerEntry" (id, "shopId", kind, "amountFen", "shopOrderId", "refundId", "dedupeKey", memo, "createdAt")
     SELECT 'le_' || u.key, u.shop, u.kind::"LedgerKind", u.amount, u.so, u.refund, u.key, u.memo, u.at
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
            AS u(shop, kind, amount, so, refund, key, memo, at)`,
    [g.shopId, g.kind, g.amountFen, g.shopOrderId, g.refundId, g.dedupeKey, g.memo, g.createdAt],
  );
  const m = b.moves;
  await sql.query(
    `INSERT INTO "StockMovement" (id, "shopId", "variantId", delta, reason, "userId", "createdAt")
     SELECT u.id, u.shop, u.variant, u.delta, u.reason, u.usr, u.at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::timestamptz[])
            AS u(id, shop, variant, delta, reason, usr, at)`,
    [m.id, m.shopId, m.variantId, m.delta, m.reason, m.userId, m.createdAt],
  );
  await sql.query(
    `UPDATE "Variant" v SET stock = v.stock + u.delta, "updatedAt" = now()
       FROM unnest($1::text[], $2::text[], $3::int[]) AS u(shop, id, delta) WHERE v."shopId" = u.shop AND v.id = u.id`,
    [shops, ids, ids.map((id) => need.get(id)!.delta)],
  );
}

/**
 * Writes `orders` demo orders over the last `days` days (seeded), in batches, and reports
 * progress. Returns what it wrote. `client`: the app's `connection().raw`, or any object with
 * `query(sql, params) → rows` (and optionally `transaction`).
 */
export async function insertBulkOrders(client: BulkClient, options: BulkOptions): Promise<BulkResult> {
  const settings = env();
  const now = options.now ?? new Date();
  const batchLines = options.batchLines ?? 50_000;
  const started = performance.now();
  const staff = await ensureDemoStaff(client.query);
  const loaded = await loadDemoCatalog(client.query);
  const only = options.shops;
  const catalog = only ? { shops: loaded.shops.filter((s) => only.includes(s.slug)) } : loaded;
  const [{ count }] = (await client.query(`SELECT count(*)::int AS count FROM "Order"`)) as [{ count: number }];
  const ctx: Context = {
    catalog: new Map(
      catalog.shops.flatMap((s) => s.variants.map((v) => [v.id, { priceFen: v.priceFen, shopId: s.id }] as const)),
    ),
    rates: new Map(catalog.shops.map((s) => [s.id, s.rates])),
    // As placeOrder computes it.
    feeBps: Math.round(settings.PLATFORM_FEE_PERCENT * 100),
    holdHours: settings.OFFLINE_RESERVATION_HOURS,
    staff,
    run: letters(count),
    perDay: new Map(),
  };
  const skip = options.skip ?? 0;
  const plans = planOrders(catalog, skip + options.orders, {
    days: options.days,
    seed: options.seed,
    now,
    holdHours: settings.OFFLINE_RESERVATION_HOURS,
  });
  const done = { orders: 0, lines: 0, rows: 0, shopOrders: 0 };
  const report = (): BulkProgress => {
    const seconds = (performance.now() - started) / 1000;
    return { ...done, seconds, rowsPerSecond: Math.round(done.rows / Math.max(seconds, 0.001)) };
  };
  let batch = new Batch();
  let batchNo = 0;
  const write = async () => {
    if (batch.orders.id.length === 0) return;
    const b = batch;
    const tag = `dm${ctx.run}b${batchNo++}`;
    if (client.transaction) await client.transaction((sql) => flush(sql, b, staff, tag));
    else await flush(client, b, staff, tag);
    // The dashboard's roll-ups follow each batch, as they follow checkout's writes, so that no
    // view after a fill has a year of days to bring up to date (docs/decisions/018).
    await client.query(`SELECT sales_rollup_refresh()`);
    done.orders += b.orders.id.length;
    done.shopOrders += b.shopOrders.id.length;
    done.lines += b.lineCount;
    done.rows += rowsIn(b);
    options.onProgress?.(report());
    batch = new Batch();
  };
  let index = 0;
  for (const plan of plans) {
    if (index++ < skip) continue;
    addOrder(batch, ctx, plan, index);
    if (batch.lineCount >= batchLines || done.lines + batch.lineCount >= (options.maxLines ?? Infinity)) {
      await write();
      if (done.lines >= (options.maxLines ?? Infinity) || options.stop?.()) break;
    }
  }
  await write();
  return { ...report(), shopOrders: done.shopOrders };
}
