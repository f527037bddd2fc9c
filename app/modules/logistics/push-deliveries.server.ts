import { z } from "zod";
import { db } from "~/db/index.server";
import { replayDelivery } from "./push-sender.server";

// The deliveries page of one partner (issue #10): its pushes with status, type, attempts, the
// last answer or error and the times, newest first, filtered by status, a page at a time; and
// the replay of a DEAD or DELIVERED one by hand.

export const DELIVERY_STATUSES = ["PENDING", "DELIVERED", "DEAD"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERIES_PAGE_SIZE = 50;

export interface DeliveriesFilter {
  status: DeliveryStatus | null;
  page: number;
}

/** The page's query (?status=&page=); anything unreadable falls back to the first page of all, flagged. */
export function deliveriesFilter(params: URLSearchParams): { filter: DeliveriesFilter; invalid: boolean } {
  const status = params.get("status") ?? "";
  const page = params.get("page") ?? "1";
  const statusOk = status === "" || (DELIVERY_STATUSES as readonly string[]).includes(status);
  const pageOk = /^\d{1,6}$/.test(page) && Number(page) >= 1;
  return {
    filter: { status: statusOk && status ? (status as DeliveryStatus) : null, page: pageOk ? Number(page) : 1 },
    invalid: !statusOk || !pageOk,
  };
}

export async function listDeliveries(partnerId: string, { status, page }: DeliveriesFilter) {
  const rows = await db().webhookDelivery.findMany({
    where: { partnerId, ...(status ? { status } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * DELIVERIES_PAGE_SIZE,
    take: DELIVERIES_PAGE_SIZE + 1,
    select: {
      id: true,
      type: true,
      status: true,
      shipmentId: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      lastAttemptAt: true,
      nextAttemptAt: true,
      deliveredAt: true,
      createdAt: true,
    },
  });
  const counts = await db().webhookDelivery.groupBy({ by: ["status"], where: { partnerId }, _count: { _all: true } });
  const partner = await db().logisticsPartner.findUniqueOrThrow({
    where: { id: partnerId },
    select: { webhookDisabledAt: true, webhookFailingSince: true },
  });
  return {
    deliveries: rows.slice(0, DELIVERIES_PAGE_SIZE).map((r) => ({
      ...r,
      canReplay: r.status === "DEAD" || r.status === "DELIVERED",
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
      nextAttemptAt: r.status === "PENDING" ? r.nextAttemptAt.toISOString() : null,
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
    hasMore: rows.length > DELIVERIES_PAGE_SIZE,
    counts: Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?._count._all ?? 0])),
    webhookDisabledAt: partner.webhookDisabledAt?.toISOString() ?? null,
    webhookFailingSince: partner.webhookFailingSince?.toISOString() ?? null,
  };
}

const replaySchema = z.object({ intent: z.literal("replay"), id: z.string().regex(/^msg_[a-z0-9]{1,64}$/) });

/** The page's form: replay one delivery. "replayed", or "invalid" / "notReplayable" changing nothing. */
export async function deliveriesPageAction(
  partnerId: string,
  formData: FormData,
): Promise<{ status: number; result: "replayed" | "invalid" | "notReplayable" }> {
  const parsed = replaySchema.safeParse({ intent: formData.get("intent"), id: formData.get("id") });
  if (!parsed.success) return { status: 400, result: "invalid" };
  if (!(await replayDelivery(partnerId, parsed.data.id))) return { status: 409, result: "notReplayable" };
  return { status: 200, result: "replayed" };
}

/** The page's loader data, for a partner the caller may oversee. */
export async function loadDeliveriesPage(
  partner: { id: string; nameZh: string; nameEn: string | null; webhookUrl: string | null },
  url: URL,
) {
  const { filter, invalid } = deliveriesFilter(url.searchParams);
  const listed = await listDeliveries(partner.id, filter);
  return {
    partner: { id: partner.id, nameZh: partner.nameZh, nameEn: partner.nameEn, webhookUrl: partner.webhookUrl },
    ...listed,
    page: filter.page,
    invalid,
    statuses: DELIVERY_STATUSES,
  };
}
