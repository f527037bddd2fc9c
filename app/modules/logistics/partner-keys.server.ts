import { createHash, randomBytes } from "node:crypto";
import { db } from "~/db/index.server";
import { openSecret, sealSecret } from "~/modules/identity/secret-box.server";

// A partner's credentials (issue #10). API keys are shown once and kept as their sha256 (a
// key is 256 random bits: a fast hash is enough, and a lookup by hash is one index probe);
// several may be active at once so a partner can rotate. Signing secrets are Standard
// Webhooks secrets (whsec_ + base64 of 24 random bytes), sealed at rest because the platform
// must read them to sign; a rotation keeps the old one signing beside the new one for a while.
// Partners are platform-owned rows (county reference data), so no shop scope applies.

export const API_KEY_PREFIX = "lk_";
/** How long an old signing secret keeps signing beside the new one after a rotation. */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** lastUsedAt is written at most this often per key (a busy poller would otherwise write every request). */
const LAST_USED_GRANULARITY_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Makes a key for the partner; the returned `key` exists nowhere else afterwards. */
export async function createApiKey(
  partnerId: string,
  label: string | null = null,
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const prefix = key.slice(0, 11);
  const row = await db().partnerApiKey.create({
    data: { partnerId, prefix, hash: hashApiKey(key), label },
    select: { id: true },
  });
  return { id: row.id, key, prefix };
}

export async function revokeApiKey(partnerId: string, keyId: string, now = new Date()): Promise<boolean> {
  const { count } = await db().partnerApiKey.updateMany({
    where: { id: keyId, partnerId, revokedAt: null },
    data: { revokedAt: now },
  });
  return count > 0;
}

export interface AuthenticatedPartner {
  partnerId: string;
  countyId: string;
  countyCode: string;
  keyId: string;
}

/** The partner a presented key belongs to; null for an unknown, revoked or inactive partner's key. */
export async function partnerOfApiKey(key: string, now = new Date()): Promise<AuthenticatedPartner | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return null;
  const row = await db().partnerApiKey.findUnique({
    where: { hash: hashApiKey(key) },
    select: {
      id: true,
      revokedAt: true,
      lastUsedAt: true,
      partner: { select: { id: true, active: true, countyId: true, county: { select: { code: true } } } },
    },
  });
  if (!row || row.revokedAt || !row.partner.active) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db().partnerApiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    partnerId: row.partner.id,
    countyId: row.partner.countyId,
    countyCode: row.partner.county.code,
    keyId: row.id,
  };
}

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * A new signing secret. With `rotate`, the partner's current ones retire after the overlap
 * window (signing beside the new one until then); returns the new secret, shown once.
 */
export async function createSigningSecret(
  partnerId: string,
  { now = new Date(), overlapMs = SECRET_OVERLAP_MS }: { now?: Date; overlapMs?: number } = {},
): Promise<string> {
  const secret = newSigningSecret();
  await db().$transaction(async (tx) => {
    await tx.partnerSigningSecret.updateMany({
      where: { partnerId, OR: [{ retiresAt: null }, { retiresAt: { gt: new Date(now.getTime() + overlapMs) } }] },
      data: { retiresAt: new Date(now.getTime() + overlapMs) },
    });
    await tx.partnerSigningSecret.create({ data: { partnerId, sealed: sealSecret(secret), createdAt: now } });
  });
  return secret;
}

/** The secrets that sign a push now: the newest first, then those still in their overlap window. */
export async function signingSecrets(partnerId: string, now = new Date()): Promise<string[]> {
  const rows = await db().partnerSigningSecret.findMany({
    where: { partnerId, OR: [{ retiresAt: null }, { retiresAt: { gt: now } }] },
    orderBy: { createdAt: "desc" },
    select: { sealed: true },
  });
  return rows.map((r) => openSecret(r.sealed));
}
