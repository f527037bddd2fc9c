import { unscopedDb } from "~/db/index.server";
import { env } from "~/env.server";
import { logger } from "~/lib/logger.server";
import type { TxtLookup } from "./dns.server";
import { checkShopDomain } from "./domains.server";

// The worker's round of domain checks (a named cross-shop read: every shop with a domain).
// Each shop's domain is checked every DOMAIN_CHECK_MINUTES, pending or verified.

/**
 * Claims up to `limit` shops whose domain check is due by stamping their check time in one
 * statement; FOR UPDATE SKIP LOCKED keeps two worker processes from checking (and counting
 * a failure for) the same shop twice in a round.
 */
async function claimDueShops(now: Date, limit: number): Promise<string[]> {
  const dueBefore = new Date(now.getTime() - env().DOMAIN_CHECK_MINUTES * 60_000);
  const rows = await unscopedDb().$queryRaw<{ id: string }[]>`
    UPDATE "Shop" SET "customDomainCheckedAt" = ${now}
     WHERE "id" IN (
       SELECT "id" FROM "Shop"
        WHERE "customDomain" IS NOT NULL
          AND ("customDomainCheckedAt" IS NULL OR "customDomainCheckedAt" <= ${dueBefore})
        ORDER BY "customDomainCheckedAt" ASC NULLS FIRST
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING "id"`;
  return rows.map((r) => r.id);
}

export interface DomainRound {
  checked: number;
  verified: number;
  unverified: number;
  failed: number;
}

/** Checks the domains that are due; `lookup` and `now` let tests stand in for DNS and the clock. */
export async function checkDueDomains({
  now = new Date(),
  limit = 50,
  lookup,
}: { now?: Date; limit?: number; lookup?: TxtLookup } = {}): Promise<DomainRound> {
  const round: DomainRound = { checked: 0, verified: 0, unverified: 0, failed: 0 };
  for (const shopId of await claimDueShops(now, limit)) {
    try {
      const outcome = await checkShopDomain({ shopId, lookup, now });
      round.checked++;
      if (outcome.status === "verified" && outcome.newly) round.verified++;
      if (outcome.status === "unverified") round.unverified++;
    } catch (error) {
      round.failed++;
      logger.error({ err: error, shopId }, "domain check failed");
    }
  }
  return round;
}
