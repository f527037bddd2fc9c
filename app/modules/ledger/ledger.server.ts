import type { Tx } from "~/db/index.server";
import { feeFen } from "./fee";

// Each cooperative's money as entries (docs/decisions/013). An entry is written once: its
// dedupeKey is unique, so replaying a payment or refund cannot count it twice. Balances are
// sums of entries; nothing stores a balance.

async function entry(
  tx: Tx,
  data: {
    shopId: string;
    kind: "SALE" | "PLATFORM_FEE" | "REFUND" | "FEE_REFUND" | "PAYOUT" | "OFFLINE_COLLECTED";
    amountFen: number;
    dedupeKey: string;
    shopOrderId?: string | null;
    refundId?: string | null;
    payoutId?: string | null;
    memo?: string | null;
  },
) {
  if (data.amountFen === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" (id, "shopId", kind, "amountFen", "shopOrderId", "refundId", "payoutId", "dedupeKey", memo)
    VALUES (${`le_${data.dedupeKey}`}, ${data.shopId}, ${data.kind}::"LedgerKind", ${data.amountFen},
            ${data.shopOrderId ?? null}, ${data.refundId ?? null}, ${data.payoutId ?? null}, ${data.dedupeKey}, ${data.memo ?? null})
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}

/** A shop order was paid: the sale, the platform's fee, and for offline money the cash the shop already holds. */
export async function recordSale(
  tx: Tx,
  so: { id: string; shopId: string; number: string; totalFen: number; feeBps: number },
  provider: "STRIPE" | "OFFLINE",
): Promise<void> {
  await entry(tx, {
    shopId: so.shopId,
    kind: "SALE",
    amountFen: so.totalFen,
    shopOrderId: so.id,
    dedupeKey: `sale:${so.id}`,
    memo: so.number,
  });
  await entry(tx, {
    shopId: so.shopId,
    kind: "PLATFORM_FEE",
    amountFen: -feeFen(so.totalFen, so.feeBps),
    shopOrderId: so.id,
    dedupeKey: `fee:${so.id}`,
    memo: so.number,
  });
  if (provider === "OFFLINE") {
    await entry(tx, {
      shopId: so.shopId,
      kind: "OFFLINE_COLLECTED",
      amountFen: -so.totalFen,
      shopOrderId: so.id,
      dedupeKey: `collected:${so.id}`,
      memo: so.number,
    });
  }
}

/** Money given back: the refund, the fee returned on it, and for offline money the cash the shop gave back itself. */
export async function recordRefund(
  tx: Tx,
  so: { id: string; shopId: string; number: string; feeBps: number },
  refund: { id: string; amountFen: number },
  provider: "STRIPE" | "OFFLINE",
): Promise<void> {
  await entry(tx, {
    shopId: so.shopId,
    kind: "REFUND",
    amountFen: -refund.amountFen,
    shopOrderId: so.id,
    refundId: refund.id,
    dedupeKey: `refund:${refund.id}`,
    memo: so.number,
  });
  await entry(tx, {
    shopId: so.shopId,
    kind: "FEE_REFUND",
    amountFen: feeFen(refund.amountFen, so.feeBps),
    shopOrderId: so.id,
    refundId: refund.id,
    dedupeKey: `fee-refund:${refund.id}`,
    memo: so.number,
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
    });
  }
}

/** A payout settles what the shop is owed. */
export async function recordPayout(
  tx: Tx,
  payout: { id: string; shopId: string; amountFen: number; reference: string | null },
) {
  await entry(tx, {
    shopId: payout.shopId,
    kind: "PAYOUT",
    amountFen: -payout.amountFen,
    payoutId: payout.id,
    dedupeKey: `payout:${payout.id}`,
    memo: payout.reference,
  });
}
