import { unscopedDb } from "~/db/index.server";
import { isLanguage } from "~/lib/i18n";
import { createI18n } from "~/lib/i18n.server";
import { logger } from "~/lib/logger.server";
import { notify } from "~/modules/notifications/notify.server";
import type { PartnerEventType } from "./shipment-status";

// The buyer hears when the parcel is picked up, waits in a locker (with the code), is delivered
// or could not be delivered. A failed message never undoes the event it reports.

export async function notifyShipmentEvent(shopId: string, shipmentId: string, type: PartnerEventType): Promise<void> {
  try {
    const s = await unscopedDb().shipment.findFirst({
      where: { id: shipmentId, shopId },
      select: {
        waybillNo: true,
        lockerCode: true,
        reason: true,
        partner: { select: { nameZh: true } },
        pickupPoint: { select: { nameZh: true, nameEn: true } },
        shopOrder: { select: { number: true, order: { select: { number: true, contactPhone: true, locale: true } } } },
      },
    });
    if (!s) return;
    const order = s.shopOrder.order;
    const payload: Record<string, string> = {
      orderNumber: order.number,
      shopOrderNumber: s.shopOrder.number,
      ...(s.waybillNo ? { waybillNo: s.waybillNo } : {}),
      ...(s.partner ? { partner: s.partner.nameZh } : {}),
      ...(type === "in_locker" && s.lockerCode ? { lockerCode: s.lockerCode } : {}),
      ...(type === "in_locker" && s.pickupPoint
        ? { pickupPoint: order.locale === "en" ? s.pickupPoint.nameEn : s.pickupPoint.nameZh }
        : {}),
      ...(type === "failed" && s.reason ? { reason: s.reason } : {}),
    };
    // The message itself, in the buyer's language (shipments.sms.*): what a real SMS transport
    // sends and what the log transport shows.
    const i18n = await createI18n(isLanguage(order.locale) ? order.locale : "zh-CN");
    const fallback = i18n.t("shipments.smsFallback", { returnObjects: true }) as Record<string, string>;
    const text = i18n.t(`shipments.sms.${type}`, { ...fallback, ...payload });
    await notify({
      channel: "SMS",
      recipient: order.contactPhone,
      template: `shipment-${type}`,
      locale: order.locale,
      payload: { ...payload, text },
    });
  } catch (error) {
    logger.warn({ err: error, shipmentId, type }, "shipment notification failed");
  }
}
