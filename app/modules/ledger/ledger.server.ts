import type { Tx } from "~/db/index.server";
import { feeFen } from "./fee";

// Each cooperative's money as entries (docs/decisions/013). An entry is written once: its
// dedupeKey is unique within its shop (an entry is always written with its shop), so replaying a
// payment or refund cannot count it twice. Balances are sums of entries; nothing stores a balance.

async function entry(
  tx: Tx,
  data: {
    shopId: string;
    kind:
      | "SALE"
      | "PLATFORM_FEE"
      | "REFUND"
      | "FEE_REFUND"
      | "PAYOUT"
      | "OFFLINE_COLLECTED"
      | "COD_HELD_BY_PARTNER"
      | "COD_REMITTED"
      | "SHOP_PAYMENT";
    amountFen: number;
    dedupeKey: string;
    shopOrderId?: string | null;
    refundId?: string | null;
    payoutId?: string | null;
    partnerId?: string | null;
    memo?: string | null;
    /** When it happened (the business moment; statements are cut by it). */
    at: Date;
  },
) {
  if (data.amountFen === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" (id, "shopId", kind, "amountFen", "shopOrderId", "refundId", "payoutId", "partnerId", "dedupeKey", memo, "createdAt")
    VALUES (${`le_${data.dedupeKey}`}, ${data.shopId}, ${data.kind}::"LedgerKind", ${data.amountFen},
            ${data.shopOrderId ?? null}, ${data.refundId ?? null}, ${data.payoutId ?? null}, ${data.partnerId ?? null},
            ${data.dedupeKey}, ${data.memo ?? null}, ${data.at})
    ON CONFLICT ("shopId", "dedupeKey") DO NOTHING`;
}

/**
 * A shop order was paid: the sale, the platform's fee, and for offline money the cash the shop
 * already holds. "COD_PARTNER": cash collected at the door by a logistics partner, which books
 * its own entry (recordCodHeld).
 */
export async function recordSale(
  tx: Tx,
  so: { id: string; shopId: string; number: string; totalFen: number; feeBps: number },
  provider: "STRIPE" | "OFFLINE" | "COD_PARTNER",
  at: Date = new Date(),
): Promise<void> {
  await entry(tx, {
    shopId: so.shopId,
    kind: "SALE",
    amountFen: so.totalFen,
    shopOrderId: so.id,
    dedupeKey: `sale:${so.id}`,
    memo: so.number,
    at,
  });
  await entry(tx, {
    shopId: so.shopId,
    kind: "PLATFORM_FEE",
    amountFen: -feeFen(so.totalFen, so.feeBps),
    shopOrderId: so.id,
    dedupeKey: `fee:${so.id}`,
    memo: so.number,
    at,
  });
  if (provider === "OFFLINE") {
    await entry(tx, {
      shopId: so.shopId,
      kind: "OFFLINE_COLLECTED",
      amountFen: -so.totalFen,
      shopOrderId: so.id,
      dedupeKey: `collected:${so.id}`,
      memo: so.number,
      at,
    });
  }
}

/** Money given back: the refund, the fee returned on it, and for offline money the cash the shop gave back itself. */
export async function recordRefund(
  tx: Tx,
  so: { id: string; shopId: string; number: string; feeBps: number },
  refund: { id: string; amountFen: number },
  provider: "STRIPE" | "OFFLINE",
  at: Date = new Date(),
): Promise<void> {
  await entry(tx, {
    shopId: so.shopId,
    kind: "REFUND",
    amountFen: -refund.amountFen,
    shopOrderId: so.id,
    refundId: refund.id,
    dedupeKey: `refund:${refund.id}`,
    memo: so.number,
    at,
  });
  await entry(tx, {
    shopId: so.shopId,
    kind: "FEE_REFUND",
    amountFen: feeFen(refund.amountFen, so.feeBps),
    shopOrderId: so.id,
    refundId: refund.id,
    dedupeKey: `fee-refund:${refund.id}`,
    memo: so.number,
    at,
  });
  if (provider === "OFFLINE") {
    await entry(tx, {
      shopId: so.shopId,
      kind: "OFFLINE_COLLECTED",
      amountFen: refund.amountFen,
      shopOrderId: so.id,
      refundId: refund.id,
      dedupeKey: `collected-refund:${refund.id}`,
      memo: so.number,
      at,
    });
  }
}

/** A payout settles what the shop is owed; a Stripe transfer tied to one shop order names it. */
export async function recordPayout(
  tx: Tx,
  payout: { id: string; shopId: string; amountFen: number; reference: string | null; shopOrderId?: string | null },
  at: Date = new Date(),
) {
  await entry(tx, {
    shopId: payout.shopId,
    kind: "PAYOUT",
    amountFen: -payout.amountFen,
    payoutId: payout.id,
    shopOrderId: payout.shopOrderId ?? null,
    dedupeKey: `payout:${payout.id}`,
    memo: payout.reference,
    at,
  });
}

/**
 * 货到付款 (issue #10): a logistics partner collected this cash at the door and holds it. It is
 * the cooperative's money, so it is taken off what the platform owes the shop until the partner
 * pays the platform (recordCodRemitted); meanwhile the partner owes it (docs/decisions/016).
 */
export async function recordCodHeld(
  tx: Tx,
  so: { id: string; shopId: string; number: string },
  held: { partnerId: string; amountFen: number; memo?: string | null },
  at: Date,
): Promise<void> {
  await entry(tx, {
    shopId: so.shopId,
    kind: "COD_HELD_BY_PARTNER",
    amountFen: -held.amountFen,
    shopOrderId: so.id,
    partnerId: held.partnerId,
    dedupeKey: `cod-held:${so.id}`,
    memo: held.memo ?? so.number,
    at,
  });
}

/** The partner paid the platform cash it held for the shop: the platform now owes it to the shop. */
export async function recordCodRemitted(
  tx: Tx,
  remittance: { id: string; shopId: string; partnerId: string; amountFen: number; reference: string | null },
  at: Date,
): Promise<void> {
  await entry(tx, {
    shopId: remittance.shopId,
    kind: "COD_REMITTED",
    amountFen: remittance.amountFen,
    partnerId: remittance.partnerId,
    dedupeKey: `cod-remit:${remittance.id}`,
    memo: remittance.reference,
    at,
  });
}

/**
 * The cooperative paid the platform what it owed (fees on orders it was paid for offline):
 * the mirror of a payout, it brings a negative balance back up (issue #11).
 */
export async function recordShopPaymentEntry(
  tx: Tx,
  payment: { key: string; shopId: string; amountFen: number; reference: string },
  at: Date,
): Promise<void> {
  await entry(tx, {
    shopId: payment.shopId,
    kind: "SHOP_PAYMENT",
    amountFen: payment.amountFen,
    dedupeKey: shopPaymentDedupeKey(payment.key),
    memo: payment.reference,
    at,
  });
}

export function shopPaymentDedupeKey(key: string): string {
  return `shop-payment:${key}`;
}
