import { db } from "~/db/index.server";

// A guest's orders become the account's once the account has proven the same mobile
// (issue #13, decision 025). Order rows belong to the buyer, not to a shop; their shop
// orders' buyerKey ("u:<userId>" instead of "p:<mobile>") follows by the trigger of migration
// 20261205110137_dashboard_buyer_key, so nothing here writes ShopOrder.

/**
 * Attaches every order placed without an account with `phone` as contact mobile to the user.
 * Only call it with a mobile the user has proven (phone-verification.server.ts). Orders
 * already attached to any account stay where they are. Returns how many were attached.
 */
export async function attachGuestOrders({ userId, phone }: { userId: string; phone: string }): Promise<number> {
  const { count } = await db().order.updateMany({
    where: { userId: null, contactPhone: phone },
    data: { userId },
  });
  return count;
}
