import { randomBytes } from "node:crypto";
import { asTx, db, type Tx } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { isUniqueViolation } from "~/modules/catalog/outcome";
import { stripeClient, stripeConfigured } from "~/modules/payments/stripe-client.server";
import { recordPayout, recordShopPaymentEntry, shopPaymentDedupeKey } from "./ledger.server";
import type { Period } from "./period";

// Paying a cooperative what it is owed. The ledger is the truth (Stripe Connect cannot onboard
// mainland-China accounts, so no Stripe balance stands for the cooperative's money): a payout
// is a Payout row plus a PAYOUT entry, never more than the balance. The platform admin records
// a bank transfer with its reference; where the cooperative has a Stripe connected account,
// the platform may instead send Stripe transfers, one per paid online shop order and tied to
// the buyer's order by its transfer_group (the order number the Checkout payment carries).

export type PayoutOutcome =
  | { ok: true; payoutId: string; already: boolean }
  | { ok: false; error: "nothingOwed" | "amountTooHigh" | "duplicate" };

export type TransferOutcome =
  | { ok: true; transfers: number; amountFen: number; failed: number }
  | { ok: false; error: "nothingOwed" | "noStripeAccount" | "stripeNotConfigured" | "providerFailed" };

/** The one-time key a payout form carries: pressing "record" twice records one payout. */
export function newPayoutKey(): string {
  return randomBytes(12).toString("hex");
}

export async function getPayoutShop(slug: string) {
  return db().shop.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      nameZh: true,
      nameEn: true,
      status: true,
      payoutAccount: true,
      stripeAccountId: true,
    },
  });
}

export async function listPayouts(shopId: string, take = 20) {
  const rows = await db().payout.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
  });
  const ids = [...new Set(rows.map((p) => p.createdById).filter((id): id is string => Boolean(id)))];
  const users = new Map(
    (
      await db().user.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true, phone: true, email: true },
      })
    ).map((u) => [u.id, u.name ?? u.phone ?? u.email]),
  );
  return rows.map((p) => ({
    id: p.id,
    at: p.createdAt.toISOString(),
    amountFen: p.amountFen,
    method: p.method,
    reference: p.reference,
    periodStart: p.periodStart.toISOString(),
    periodEnd: p.periodEnd.toISOString(),
    by: p.createdById ? (users.get(p.createdById) ?? null) : null,
  }));
}

/** Where the next statement to settle starts: the end of the last payout's period. */
export async function lastPayoutEnd(shopId: string): Promise<Date | null> {
  const last = await db().payout.findFirst({
    where: { shopId },
    orderBy: { periodEnd: "desc" },
    select: { periodEnd: true },
  });
  return last?.periodEnd ?? null;
}

/** Payouts of one shop happen one at a time (the balance check and the entry are one step). */
async function lockShopMoney(tx: Tx, shopId: string): Promise<void> {
  // NO KEY UPDATE: does not wait for (nor block) orders being placed, whose foreign keys take KEY SHARE.
  await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shopId} FOR NO KEY UPDATE`;
}

async function balanceIn(tx: Tx, shopId: string): Promise<number> {
  const sum = await tx.ledgerEntry.aggregate({ where: { shopId }, _sum: { amountFen: true } });
  return sum._sum.amountFen ?? 0;
}

/** A bank transfer the platform made to the cooperative, recorded with its reference. */
export async function recordBankPayout({
  shopId,
  amountFen,
  reference,
  period,
  userId,
  key,
  now = new Date(),
}: {
  shopId: string;
  amountFen: number;
  reference: string;
  period: Period;
  userId: string;
  key: string;
  now?: Date;
}): Promise<PayoutOutcome> {
  const payoutId = `po_${key}`;
  try {
    return await db().$transaction(async (scoped) => {
      const tx = asTx(scoped);
      await lockShopMoney(tx, shopId);
      const existing = await tx.payout.findFirst({ where: { id: payoutId, shopId }, select: { id: true } });
      if (existing) return { ok: true as const, payoutId, already: true };
      const balance = await balanceIn(tx, shopId);
      if (balance <= 0) return { ok: false as const, error: "nothingOwed" as const };
      if (amountFen > balance) return { ok: false as const, error: "amountTooHigh" as const };
      await tx.payout.create({
        data: {
          id: payoutId,
          shopId,
          amountFen,
          method: "BANK_TRANSFER",
          reference,
          periodStart: period.start,
          periodEnd: period.end,
          createdById: userId,
          createdAt: now,
        },
      });
      await recordPayout(tx, { id: payoutId, shopId, amountFen, reference }, now);
      return { ok: true as const, payoutId, already: false };
    });
  } catch (error) {
    // The key was used for another shop's payout: a form posted to the wrong page.
    if (isUniqueViolation(error)) return { ok: false, error: "duplicate" };
    throw error;
  }
}

export type ShopPaymentOutcome =
  { ok: true; already: boolean } | { ok: false; error: "nothingOwedByShop" | "paymentTooHigh" | "duplicate" };

/**
 * Money in the other direction: the cooperative paid the platform what it owes (a negative
 * balance), recorded with its reference. Never more than it owes; the form's one-time key is
 * the entry's dedupeKey, so a double submit records one payment.
 */
export async function recordShopPayment({
  shopId,
  amountFen,
  reference,
  key,
  now = new Date(),
}: {
  shopId: string;
  amountFen: number;
  reference: string;
  key: string;
  now?: Date;
}): Promise<ShopPaymentOutcome> {
  const dedupeKey = shopPaymentDedupeKey(key);
  return db().$transaction(async (scoped) => {
    const tx = asTx(scoped);
    await lockShopMoney(tx, shopId);
    // A form key is used once across shops: one used on another shop's page is a stale form. The
    // database keys dedupeKey by shop (028), so this check says it; the shop's lock makes a double
    // submit on one shop record once, and the key is random per form.
    const existing = await tx.$queryRaw<{ shopId: string }[]>`
      SELECT "shopId" FROM "LedgerEntry" WHERE "dedupeKey" = ${dedupeKey}`;
    if (existing.length > 0) {
      return existing[0]!.shopId === shopId
        ? { ok: true as const, already: true }
        : { ok: false as const, error: "duplicate" as const };
    }
    const balance = await balanceIn(tx, shopId);
    if (balance >= 0) return { ok: false as const, error: "nothingOwedByShop" as const };
    if (amountFen > -balance) return { ok: false as const, error: "paymentTooHigh" as const };
    await recordShopPaymentEntry(tx, { key, shopId, amountFen, reference }, now);
    return { ok: true as const, already: false };
  });
}

/**
 * Online shop orders whose money the cooperative is still owed, oldest first: the sum of
 * each one's entries (sale, fee, refunds, an earlier transfer) is above zero.
 */
export async function transferCandidates(shopId: string) {
  const sums = await db().ledgerEntry.groupBy({
    by: ["shopOrderId"],
    where: { shopId, shopOrderId: { not: null }, shopOrder: { shopId, order: { provider: "STRIPE" } } },
    _sum: { amountFen: true },
  });
  const owed = new Map(
    sums.filter((s) => s.shopOrderId && (s._sum.amountFen ?? 0) > 0).map((s) => [s.shopOrderId!, s._sum.amountFen!]),
  );
  if (owed.size === 0) return [];
  const orders = await db().shopOrder.findMany({
    where: { shopId, id: { in: [...owed.keys()] } },
    orderBy: [{ paidAt: "asc" }, { number: "asc" }],
    select: { id: true, number: true, paidAt: true, createdAt: true, order: { select: { number: true } } },
  });
  return orders.map((o) => ({
    shopOrderId: o.id,
    number: o.number,
    orderNumber: o.order.number,
    since: o.paidAt ?? o.createdAt,
    netFen: owed.get(o.id)!,
  }));
}

/**
 * Pays the cooperative's connected Stripe account what its online orders earned, one transfer
 * per shop order (transfer_group = the buyer's order number), never more than the balance: a
 * cooperative that owes fees on offline sales gets those settled first. Each transfer carries
 * an idempotency key of its shop order, and its PAYOUT entry names the shop order, so a retry
 * neither pays twice nor books twice.
 */
export async function payByStripeTransfers({
  shopId,
  userId,
  now = new Date(),
}: {
  shopId: string;
  userId: string;
  now?: Date;
}): Promise<TransferOutcome> {
  if (!stripeConfigured()) return { ok: false, error: "stripeNotConfigured" };
  const shop = await db().shop.findUnique({ where: { id: shopId }, select: { stripeAccountId: true } });
  if (!shop?.stripeAccountId) return { ok: false, error: "noStripeAccount" };
  const destination = shop.stripeAccountId;

  let left = (await db().ledgerEntry.aggregate({ where: { shopId }, _sum: { amountFen: true } }))._sum.amountFen ?? 0;
  const chosen = [];
  for (const candidate of await transferCandidates(shopId)) {
    if (candidate.netFen > left) continue;
    chosen.push(candidate);
    left -= candidate.netFen;
  }
  if (chosen.length === 0) return { ok: false, error: "nothingOwed" };

  let transfers = 0;
  let amountFen = 0;
  let failed = 0;
  for (const c of chosen) {
    const payoutId = `po_tr_${c.shopOrderId}`;
    let transferId: string;
    try {
      const transfer = await stripeClient().transfers.create(
        {
          amount: c.netFen,
          currency: "cny",
          destination,
          transfer_group: c.orderNumber,
          metadata: { shopOrderNumber: c.number, payoutId },
        },
        { idempotencyKey: `transfer_${c.shopOrderId}` },
      );
      transferId = transfer.id;
    } catch (error) {
      logger.warn({ err: error, shopId, shopOrder: c.number }, "stripe transfer failed");
      failed++;
      continue;
    }
    await db().$transaction(async (scoped) => {
      const tx = asTx(scoped);
      await lockShopMoney(tx, shopId);
      await tx.payout.createMany({
        data: [
          {
            id: payoutId,
            shopId,
            amountFen: c.netFen,
            method: "STRIPE_TRANSFER",
            reference: transferId,
            periodStart: c.since,
            periodEnd: now,
            createdById: userId,
            createdAt: now,
          },
        ],
        skipDuplicates: true,
      });
      await recordPayout(
        tx,
        { id: payoutId, shopId, amountFen: c.netFen, reference: transferId, shopOrderId: c.shopOrderId },
        now,
      );
    });
    transfers++;
    amountFen += c.netFen;
  }
  if (transfers === 0) return { ok: false, error: "providerFailed" };
  return { ok: true, transfers, amountFen, failed };
}

/** The platform links (or unlinks, with "") a cooperative's Stripe connected account. */
export async function setStripeAccount(shopId: string, accountId: string | null): Promise<void> {
  await db().shop.update({ where: { id: shopId }, data: { stripeAccountId: accountId } });
}

/** The cooperative's bank account for settlement, as its owner writes it (shown to the platform). */
export async function setPayoutAccount(shopId: string, account: string | null): Promise<void> {
  await db().shop.update({ where: { id: shopId }, data: { payoutAccount: account } });
}
