import { unscopedDb } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/modules/notifications/notify.server";

// The buyer hears of every change to their order through the notification transport
// (SMS to the contact mobile). A failed message never undoes the change it reports.

export type OrderChange =
  "placed" | "paid" | "accepted" | "expired" | "packed" | "handed_over" | "delivered" | "cancelled" | "refunded";

interface NotifiedOrder {
  number: string;
  contactPhone: string;
  locale: string;
  totalFen: number;
}

export async function notifyOrderChange(orderId: string, change: OrderChange, shopOrderNumber?: string): Promise<void> {
  try {
    const order = await unscopedDb().order.findUnique({
      where: { id: orderId },
      select: { number: true, contactPhone: true, locale: true, totalFen: true },
    });
    if (order) await send(order, change, shopOrderNumber);
  } catch (error) {
    logger.warn({ err: error, orderId, change }, "order notification failed");
  }
}

/** "Placed", told with what the checkout already holds: no need to read the order again. */
export async function notifyOrderPlaced(order: NotifiedOrder & { id: string }): Promise<void> {
  try {
    await send(order, "placed");
  } catch (error) {
    logger.warn({ err: error, orderId: order.id, change: "placed" }, "order notification failed");
  }
}

async function send(order: NotifiedOrder, change: OrderChange, shopOrderNumber?: string) {
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
}
