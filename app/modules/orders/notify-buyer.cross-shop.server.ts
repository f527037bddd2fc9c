import { unscopedDb } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/modules/notifications/notify.server";

// The buyer hears of every change to their order through the notification transport
// (SMS to the contact mobile). A failed message never undoes the change it reports.

export type OrderChange =
  "placed" | "paid" | "accepted" | "expired" | "packed" | "handed_over" | "delivered" | "cancelled" | "refunded";

export async function notifyOrderChange(orderId: string, change: OrderChange, shopOrderNumber?: string): Promise<void> {
  try {
    const order = await unscopedDb().order.findUnique({
      where: { id: orderId },
      select: { number: true, contactPhone: true, locale: true, totalFen: true },
    });
    if (!order) return;
    await notify({
      channel: "SMS",
      recipient: order.contactPhone,
      template: `order-${change}`,
      locale: order.locale,
      payload: {
        orderNumber: order.number,
        ...(shopOrderNumber ? { shopOrderNumber } : {}),
        totalFen: String(order.totalFen),
      },
    });
  } catch (error) {
    logger.warn({ err: error, orderId, change }, "order notification failed");
  }
}
