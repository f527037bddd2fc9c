import type { Prisma } from "~/generated/prisma/client";
import { unscopedDb } from "~/db/index.server";
import { logger } from "~/lib/logger.server";
import { newRowId } from "~/db/ids.server";
import { notify, recordMessageSql, sendRecorded, type OutgoingMessage } from "~/modules/notifications/notify.server";

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

/** The buyer's "placed" message, recorded by the placement's own statement (decision 040). */
export interface PlacedNotice {
  id: string;
  message: OutgoingMessage;
  /** The outbox row's INSERT, for the placement's transaction. */
  sql: Prisma.Sql;
}

export function orderPlacedNotice(order: NotifiedOrder): PlacedNotice {
  const id = newRowId();
  const message = messageFor(order, "placed");
  return { id, message, sql: recordMessageSql(id, message) };
}

/** "Placed", recorded with the order: sent after the placement committed. */
export async function sendOrderPlaced(notice: Pick<PlacedNotice, "id" | "message">): Promise<void> {
  await sendRecorded(notice.id, notice.message);
}

async function send(order: NotifiedOrder, change: OrderChange, shopOrderNumber?: string) {
  await notify(messageFor(order, change, shopOrderNumber));
}

function messageFor(order: NotifiedOrder, change: OrderChange, shopOrderNumber?: string): OutgoingMessage {
  return {
    channel: "SMS",
    recipient: order.contactPhone,
    template: `order-${change}`,
    locale: order.locale,
    payload: {
      orderNumber: order.number,
      ...(shopOrderNumber ? { shopOrderNumber } : {}),
      totalFen: String(order.totalFen),
    },
  };
}
