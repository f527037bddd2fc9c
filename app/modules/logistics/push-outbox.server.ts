import { randomUUID } from "node:crypto";
import type { Tx } from "~/db/index.server";
import type { Prisma } from "~/generated/prisma/client";
import { partnerShipmentJson } from "./partner-shipment.server";

// The push outbox (docs/decisions/016): a change to a shipment writes the message its partner
// will receive in the same transaction as the change, so a crash can lose neither. The sender
// (push-sender.server.ts) posts it later, at least once, under the same webhook-id every time.

export type ShipmentPushType = "shipment.created" | "shipment.updated" | "shipment.cancelled";

/**
 * Queues the shipment's current state for its partner, when the partner takes pushes.
 * `partnerId` overrides the shipment's own (a rejected or re-assigned shipment tells the
 * partner that had it).
 */
export async function queueShipmentPush(
  tx: Tx,
  shipment: { id: string; shopId: string },
  type: ShipmentPushType,
  { partnerId, now = new Date() }: { partnerId?: string | null; now?: Date } = {},
): Promise<string | null> {
  const data = await partnerShipmentJson(tx, shipment);
  if (!data) return null;
  const to = partnerId ?? data.partnerId;
  if (!to) return null;
  const partner = await tx.logisticsPartner.findUnique({ where: { id: to }, select: { webhookUrl: true } });
  if (!partner?.webhookUrl) return null;
  const id = `msg_${randomUUID().replace(/-/g, "")}`;
  const payload = { type, timestamp: now.toISOString(), data: data.json } as unknown as Prisma.InputJsonObject;
  await tx.webhookDelivery.create({
    data: { id, partnerId: to, shipmentId: shipment.id, type, payload, nextAttemptAt: now, createdAt: now },
  });
  return id;
}
