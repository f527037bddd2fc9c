import { randomBytes } from "node:crypto";
import { asTx, db } from "~/db/index.server";
import { env } from "~/env.server";
import { platformOrigin } from "~/lib/origins.server";
import { limiterFor, type LimitRule } from "~/lib/rate-limit.server";
import { formatDateTime } from "~/lib/time";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import { uniqueViolation } from "~/modules/shops/unique-violation.server";
import { classifyHost } from "~/modules/tenancy/host";
import { checkVerificationRecord, type RecordCheck, type TxtLookup } from "./dns.server";
import { isCheckError, verificationRecordName, verificationRecordValue, type CheckError } from "./verification";

// A shop's own domain (issue #9, finding 7). The owner asks for a name (customDomain, a claim
// several shops may make); it is routed only once a DNS TXT record carrying this shop's
// token proves the owner controls it (verifiedDomain, unique across shops). The worker checks
// every claimed domain again and again; a verified one whose record is gone is dropped after
// DOMAIN_CHECK_GRACE failed checks in a row, so a DNS blip does not take a shop down.

/** Who made a change, for the security log. */
export interface Actor {
  userId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

type Refusal = { ok: false; error: string };

function newToken(): string {
  return randomBytes(16).toString("hex");
}

/**
 * True when the name is one of the platform's own: the platform host, the public origin's host,
 * or any name under either (shops' sub-domains among them).
 */
export function isPlatformName(domain: string): boolean {
  if (classifyHost(domain, env().PLATFORM_HOST).type !== "custom") return true;
  const publicHost = new URL(platformOrigin()).hostname.toLowerCase();
  return domain === publicHost || domain.endsWith(`.${publicHost}`);
}

/**
 * Sets (or, with null, removes) the shop's own domain. A changed domain starts unverified (no
 * longer routed) and needs its record checked again; the same domain again changes nothing.
 * Refused: the platform's own names, and a name another shop has verified.
 */
export async function setCustomDomain({
  shopId,
  domain,
  actor = {},
}: {
  shopId: string;
  domain: string | null;
  actor?: Actor;
}): Promise<{ ok: true; changed: boolean } | Refusal> {
  if (domain && isPlatformName(domain)) return { ok: false, error: "media.branding.errors.domainPlatform" };
  const current = await db().shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { customDomain: true, customDomainToken: true, verifiedDomain: true },
  });
  if (current.customDomain === domain) return { ok: true, changed: false };
  if (domain) {
    const holder = await db().shop.findUnique({ where: { verifiedDomain: domain }, select: { id: true } });
    if (holder && holder.id !== shopId) return { ok: false, error: "media.branding.errors.domainTaken" };
  }
  await db().$transaction(async (tx) => {
    await tx.shop.update({
      where: { id: shopId },
      data: {
        customDomain: domain,
        customDomainToken: current.customDomainToken ?? newToken(),
        ...UNVERIFIED,
      },
    });
    await recordSecurityEvent(
      {
        type: "domain_changed",
        shopId,
        userId: actor.userId ?? null,
        ip: actor.ip ?? null,
        userAgent: actor.userAgent ?? null,
        detail: { from: current.customDomain, to: domain, change: "set", wasVerified: current.verifiedDomain !== null },
      },
      asTx(tx),
    );
  });
  return { ok: true, changed: true };
}

/** What a changed domain starts from: not routed, never checked. */
const UNVERIFIED = {
  verifiedDomain: null,
  customDomainVerifiedAt: null,
  customDomainCheckedAt: null,
  customDomainFailures: 0,
  customDomainFailingSince: null,
  customDomainError: null,
} as const;

/** The shop's token, created on first use (shops imported with a domain have none yet). */
async function ensureToken(shopId: string, token: string | null): Promise<string> {
  if (token) return token;
  await db().shop.updateMany({
    where: { id: shopId, customDomainToken: null },
    data: { customDomainToken: newToken() },
  });
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { customDomainToken: true } });
  return shop.customDomainToken!;
}

export type CheckOutcome =
  | { status: "none" }
  | { status: "verified"; newly: boolean }
  | { status: "pending"; error: CheckError }
  | { status: "failing"; error: CheckError; failures: number }
  | { status: "unverified"; error: CheckError }
  /** The domain changed while it was being checked: the result was dropped. */
  | { status: "stale" };

/**
 * "Check now" presses per shop: each one queries DNS, so they are limited, in the store every
 * app process shares (app/lib/rate-limit.server.ts). The worker's own checks do not count.
 */
export const DOMAIN_CHECK_LIMIT = {
  name: "domain:check",
  points: 10,
  windowSeconds: 15 * 60,
  fallbackPoints: 5,
} satisfies LimitRule;

export type CheckNowResult = { ok: true; outcome: CheckOutcome } | { ok: false; retryAfterSeconds: number };

/** The owner's "check now": refused once the shop used up DOMAIN_CHECK_LIMIT, otherwise checkShopDomain. */
export async function checkShopDomainNow({ shopId, actor }: { shopId: string; actor: Actor }): Promise<CheckNowResult> {
  const limiter = limiterFor(DOMAIN_CHECK_LIMIT);
  const retryAfterSeconds = await limiter.retryAfter(shopId);
  if (retryAfterSeconds > 0) return { ok: false, retryAfterSeconds };
  await limiter.hit(shopId);
  return { ok: true, outcome: await checkShopDomain({ shopId, actor }) };
}

/**
 * Checks the shop's domain record now and records the result: a pending domain whose record
 * is right becomes verified (unless another shop verified it first); a verified one whose
 * record is wrong or gone counts a failure, and is dropped after DOMAIN_CHECK_GRACE in a row.
 */
export async function checkShopDomain({
  shopId,
  lookup,
  now = new Date(),
  actor = {},
}: {
  shopId: string;
  lookup?: TxtLookup;
  now?: Date;
  /** Who pressed "check now" (the worker's checks have no one). */
  actor?: Actor;
}): Promise<CheckOutcome> {
  const shop = await db().shop.findUniqueOrThrow({
    where: { id: shopId },
    select: {
      customDomain: true,
      customDomainToken: true,
      verifiedDomain: true,
      customDomainFailures: true,
      customDomainFailingSince: true,
    },
  });
  const domain = shop.customDomain;
  if (!domain) return { status: "none" };
  const token = await ensureToken(shopId, shop.customDomainToken);
  const result = await checkVerificationRecord(domain, token, lookup);
  const wasVerified = shop.verifiedDomain === domain;
  // Every write below names the domain that was checked: if the owner changed it meanwhile,
  // this result is about a name the shop no longer asks for, and is dropped.
  const same = { id: shopId, customDomain: domain };

  if (result.ok) {
    if (wasVerified) {
      const { count } = await db().shop.updateMany({
        where: same,
        data: {
          customDomainCheckedAt: now,
          customDomainFailures: 0,
          customDomainFailingSince: null,
          customDomainError: null,
        },
      });
      return count ? { status: "verified", newly: false } : { status: "stale" };
    }
    try {
      const count = await db().$transaction(async (tx) => {
        const { count } = await tx.shop.updateMany({
          where: { ...same, verifiedDomain: null },
          data: {
            verifiedDomain: domain,
            customDomainVerifiedAt: now,
            customDomainCheckedAt: now,
            customDomainFailures: 0,
            customDomainFailingSince: null,
            customDomainError: null,
          },
        });
        if (count) {
          await recordSecurityEvent(
            {
              type: "domain_verified",
              shopId,
              userId: actor.userId ?? null,
              ip: actor.ip ?? null,
              userAgent: actor.userAgent ?? null,
              detail: { domain },
            },
            asTx(tx),
          );
        }
        return count;
      });
      return count ? { status: "verified", newly: true } : { status: "stale" };
    } catch (error) {
      if (!uniqueViolation(error, ["verifiedDomain"])) throw error;
      return recordFailure({ shopId, domain, wasVerified, error: "taken", shop, now });
    }
  }
  return recordFailure({ shopId, domain, wasVerified, error: result.error, detail: result, shop, now });
}

async function recordFailure({
  shopId,
  domain,
  wasVerified,
  error,
  detail,
  shop,
  now,
}: {
  shopId: string;
  domain: string;
  wasVerified: boolean;
  error: CheckError;
  detail?: RecordCheck;
  shop: { customDomainFailures: number; customDomainFailingSince: Date | null };
  now: Date;
}): Promise<CheckOutcome> {
  const grace = env().DOMAIN_CHECK_GRACE;
  return db().$transaction(async (tx) => {
    const { count } = await tx.shop.updateMany({
      where: { id: shopId, customDomain: domain },
      data: {
        customDomainCheckedAt: now,
        customDomainFailures: { increment: 1 },
        customDomainFailingSince: shop.customDomainFailingSince ?? now,
        customDomainError: error,
      },
    });
    if (!count) return { status: "stale" } as const;
    if (!wasVerified) return { status: "pending", error } as const;
    // Dropped only by the check that reaches the grace, whichever process runs it.
    const dropped = await tx.shop.updateMany({
      where: { id: shopId, customDomain: domain, verifiedDomain: domain, customDomainFailures: { gte: grace } },
      data: { verifiedDomain: null, customDomainVerifiedAt: null },
    });
    if (dropped.count) {
      await recordSecurityEvent(
        {
          type: "domain_changed",
          shopId,
          detail: {
            from: domain,
            to: null,
            change: "verification_lost",
            error,
            ...(detail && !detail.ok && detail.detail ? { dns: detail.detail } : {}),
            failures: shop.customDomainFailures + 1,
            failingSince: (shop.customDomainFailingSince ?? now).toISOString(),
          },
        },
        asTx(tx),
      );
      return { status: "unverified", error } as const;
    }
    return { status: "failing", error, failures: shop.customDomainFailures + 1 } as const;
  });
}

/** What the branding page shows about the shop's domain, in the page's language. */
export async function getDomainStatus({ shopId, lng }: { shopId: string; lng: string }) {
  const shop = await db().shop.findUniqueOrThrow({
    where: { id: shopId },
    select: {
      customDomain: true,
      customDomainToken: true,
      verifiedDomain: true,
      customDomainVerifiedAt: true,
      customDomainCheckedAt: true,
      customDomainFailures: true,
      customDomainFailingSince: true,
      customDomainError: true,
    },
  });
  const domain = shop.customDomain;
  if (!domain) return null;
  const token = await ensureToken(shopId, shop.customDomainToken);
  const verified = shop.verifiedDomain === domain && shop.customDomainVerifiedAt !== null;
  const at = (date: Date | null) => (date ? formatDateTime(date, lng) : null);
  return {
    domain,
    state: verified ? (shop.customDomainFailures > 0 ? "failing" : "verified") : "pending",
    record: { type: "TXT", name: verificationRecordName(domain), value: verificationRecordValue(token) },
    verifiedAt: at(shop.customDomainVerifiedAt),
    checkedAt: at(shop.customDomainCheckedAt),
    failingSince: at(shop.customDomainFailingSince),
    failures: shop.customDomainFailures,
    /** Failed checks left before a failing verified domain stops being served. */
    checksLeft: Math.max(0, env().DOMAIN_CHECK_GRACE - shop.customDomainFailures),
    error: isCheckError(shop.customDomainError) ? shop.customDomainError : null,
    everyMinutes: env().DOMAIN_CHECK_MINUTES,
    platformHost: env().PLATFORM_HOST,
  } as const;
}

export type DomainStatus = NonNullable<Awaited<ReturnType<typeof getDomainStatus>>>;
