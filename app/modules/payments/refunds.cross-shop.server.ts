import { unscopedDb } from "~/db/index.server";

/** Refunds still waiting on one provider payment, from any shop (a payment spans shops). */
export async function unscopedRefundsOf(providerPaymentRef: string, refundIds: string[]) {
  return unscopedDb().refund.findMany({
    where: {
      status: "PENDING",
      payment: { providerPaymentRef },
      ...(refundIds.length > 0 ? { OR: [{ providerRef: { in: refundIds } }, { providerRef: null }] } : {}),
    },
    select: { id: true, shopId: true },
  });
}
