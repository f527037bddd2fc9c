import { unscopedDb } from "~/db/index.server";

/** Refunds still waiting on one provider payment, from any shop (a payment spans shops). */
export async function unscopedRefundsOf(providerPaymentRef: string) {
  return unscopedDb().refund.findMany({
    where: { status: "PENDING", payment: { providerPaymentRef } },
    orderBy: { createdAt: "asc" },
    select: { id: true, shopId: true, providerRef: true },
  });
}

/** Provider payments with refunds still pending since before `before` (for the reconciliation job). */
export async function unscopedPaymentsWithPendingRefunds(
  provider: "STRIPE" | "OFFLINE",
  before: Date,
  limit = 100,
): Promise<string[]> {
  const rows = await unscopedDb().payment.findMany({
    where: {
      provider,
      providerPaymentRef: { not: null },
      refunds: { some: { status: "PENDING", createdAt: { lte: before } } },
    },
    take: limit,
    select: { providerPaymentRef: true },
  });
  return rows.map((r) => r.providerPaymentRef!);
}
