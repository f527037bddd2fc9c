import { z } from "zod";
import { db } from "~/db/index.server";
import { decimalNumber } from "~/lib/decimal";
import { addDays, shanghaiLocalToUtc } from "~/lib/time";
import { parseIdentifier } from "~/modules/identity/identifier";
import { SECURITY_EVENT_TYPES } from "./security-log.server";

// Reading the security log (the platform admin's /platform/security): newest first, filtered by
// type, by user (mobile, email or id) and by Shanghai days, fifty to a page.

export const SECURITY_LOG_PAGE_SIZE = 50;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((iso) => {
    const date = new Date(`${iso}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
  });

const filterSchema = z.object({
  type: z.enum(SECURITY_EVENT_TYPES).optional(),
  user: z.string().trim().max(254).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  page: decimalNumber(z.number().int().min(1).max(10_000)).default(1),
});

export type SecurityLogFilter = z.infer<typeof filterSchema>;

/** The filter from the page's query string; a bad one is reported and ignored (everything shows). */
export function securityLogFilter(search: URLSearchParams): { filter: SecurityLogFilter; invalid: boolean } {
  const raw = Object.fromEntries(
    ["type", "user", "from", "to", "page"].map((k) => [k, search.get(k)?.trim() || undefined] as const),
  );
  const parsed = filterSchema.safeParse(raw);
  return parsed.success ? { filter: parsed.data, invalid: false } : { filter: { page: 1 }, invalid: true };
}

async function userIdsFor(query: string): Promise<string[]> {
  const identifier = parseIdentifier(query);
  const users = await db().user.findMany({
    where: {
      OR: [
        { id: query },
        ...(identifier
          ? [identifier.kind === "email" ? { email: identifier.value } : { phone: identifier.value }]
          : []),
      ],
    },
    select: { id: true },
    take: 5,
  });
  return users.map((u) => u.id);
}

export async function listSecurityEvents(filter: SecurityLogFilter) {
  const userIds = filter.user ? await userIdsFor(filter.user) : null;
  const createdAt = {
    ...(filter.from ? { gte: shanghaiLocalToUtc(`${filter.from}T00:00`) } : {}),
    ...(filter.to ? { lt: shanghaiLocalToUtc(`${addDays(filter.to, 1)}T00:00`) } : {}),
  };
  const rows =
    userIds && userIds.length === 0
      ? []
      : await db().securityEvent.findMany({
          where: {
            ...(filter.type ? { type: filter.type } : {}),
            ...(userIds ? { userId: { in: userIds } } : {}),
            ...(filter.from || filter.to ? { createdAt } : {}),
          },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          skip: (filter.page - 1) * SECURITY_LOG_PAGE_SIZE,
          take: SECURITY_LOG_PAGE_SIZE + 1,
        });
  const page = rows.slice(0, SECURITY_LOG_PAGE_SIZE);
  const people = new Map(
    (
      await db().user.findMany({
        where: { id: { in: [...new Set(page.map((r) => r.userId).filter((id): id is string => Boolean(id)))] } },
        select: { id: true, name: true, phone: true, email: true },
      })
    ).map((u) => [u.id, { name: u.name, contact: u.phone ?? u.email ?? "" }]),
  );
  const shops = new Map(
    (
      await db().shop.findMany({
        where: { id: { in: [...new Set(page.map((r) => r.subjectShopId).filter((id): id is string => Boolean(id)))] } },
        select: { id: true, slug: true },
      })
    ).map((s) => [s.id, s.slug]),
  );
  return {
    events: page.map((r) => ({
      id: r.id,
      type: r.type,
      at: r.createdAt.toISOString(),
      userId: r.userId,
      user: r.userId ? (people.get(r.userId) ?? null) : null,
      shop: r.subjectShopId ? (shops.get(r.subjectShopId) ?? r.subjectShopId) : null,
      ip: r.ip,
      userAgent: r.userAgent,
      detail: r.detail ? JSON.stringify(r.detail) : null,
    })),
    hasOlder: rows.length > SECURITY_LOG_PAGE_SIZE,
  };
}
