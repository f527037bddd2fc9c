import { db, type Tx } from "~/db/index.server";
import type { Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";

// The security log: who did what that matters for money and access, when and from where.
// Written at the source of each event; read by the platform admin; kept 180 days.

export const SECURITY_EVENT_TYPES = [
  "sign_in",
  "sign_in_failed",
  "lockout",
  "unlock",
  "password_changed",
  "password_reset_requested",
  "totp_enabled",
  "totp_disabled",
  "recovery_code_used",
  "reauthenticated",
  "role_changed",
  "payout_recorded",
  "bank_details_changed",
  "export",
  "domain_changed",
  "domain_verified",
  "cod_amount_mismatch",
  "cod_remittance_recorded",
  "partner_key_created",
  "partner_key_revoked",
  "partner_secret_rotated",
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export const SECURITY_LOG_RETENTION_DAYS = 180;

export interface SecurityEventInput {
  type: SecurityEventType;
  /** The account the event is about (the one signing in, changing, acting). */
  userId?: string | null;
  /** The shop the event concerns, when there is one. */
  shopId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  detail?: Record<string, unknown>;
}

/** Records one event; inside `tx` when given, so the event commits or rolls back with its change. */
export async function recordSecurityEvent(event: SecurityEventInput, tx?: Tx): Promise<void> {
  const client = tx ?? (db() as unknown as Tx);
  await client.securityEvent.create({
    data: {
      type: event.type,
      userId: event.userId ?? null,
      subjectShopId: event.shopId ?? null,
      ip: event.ip?.slice(0, 64) ?? null,
      userAgent: event.userAgent?.slice(0, 256) ?? null,
      detail: (event.detail ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
  logger.info(
    { security: { type: event.type, userId: event.userId, shopId: event.shopId, ip: event.ip } },
    `security ${event.type}`,
  );
}

/** Deletes entries older than the retention period; returns how many went. */
export async function pruneSecurityLog(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - SECURITY_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const { count } = await db().securityEvent.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
