import { db } from "~/db/index.server";
import { recordSecurityEvent } from "~/modules/security/security-log.server";
import type { RequestSource } from "~/modules/security/request-source.server";
import { createApiKey, createSigningSecret, revokeApiKey, SECRET_OVERLAP_MS } from "./partner-keys.server";
import type { PartnerFormInput } from "./partner-schema";
import { createPartner } from "./partners.server";

// Managing a county's logistics partners from the platform admin's and the coordinator's pages.
// Every function takes the caller's scope: a coordinator's county, or null for the platform
// admin (every county). A partner outside the scope is "not found", never "forbidden".

export interface PartnerScope {
  /** The coordinator's county; null: the platform admin, every county. */
  countyId: string | null;
}

export interface Actor extends Partial<RequestSource> {
  userId: string;
}

const inScope = (scope: PartnerScope) => (scope.countyId ? { countyId: scope.countyId } : {});

export async function listPartners(scope: PartnerScope, filter: { countyId?: string | null } = {}) {
  const where = { ...inScope(scope), ...(filter.countyId ? { countyId: filter.countyId } : {}) };
  if (scope.countyId && filter.countyId && filter.countyId !== scope.countyId) return [];
  const rows = await db().logisticsPartner.findMany({
    where,
    orderBy: [{ active: "desc" }, { createdAt: "asc" }],
    select: {
      id: true,
      nameZh: true,
      nameEn: true,
      kind: true,
      services: true,
      areas: true,
      active: true,
      webhookUrl: true,
      webhookDisabledAt: true,
      webhookFailingSince: true,
      county: { select: { code: true, nameZh: true, nameEn: true } },
      _count: { select: { apiKeys: { where: { revokedAt: null } } } },
    },
  });
  return rows.map(({ _count, ...p }) => ({ ...p, activeKeys: _count.apiKeys }));
}

export type PartnerListRow = Awaited<ReturnType<typeof listPartners>>[number];

/** The partner with its keys and secrets (never their values), or null outside the scope. */
export async function partnerPage(scope: PartnerScope, partnerId: string, now = new Date()) {
  const partner = await db().logisticsPartner.findFirst({
    where: { id: partnerId, ...inScope(scope) },
    select: {
      id: true,
      countyId: true,
      nameZh: true,
      nameEn: true,
      kind: true,
      services: true,
      areas: true,
      active: true,
      contactName: true,
      contactPhone: true,
      webhookUrl: true,
      webhookDisabledAt: true,
      webhookFailingSince: true,
      county: { select: { code: true, nameZh: true, nameEn: true } },
      apiKeys: {
        orderBy: { createdAt: "desc" },
        select: { id: true, prefix: true, label: true, createdAt: true, lastUsedAt: true, revokedAt: true },
      },
      signingSecrets: {
        where: { OR: [{ retiresAt: null }, { retiresAt: { gt: now } }] },
        orderBy: { createdAt: "desc" },
        select: { id: true, createdAt: true, retiresAt: true },
      },
    },
  });
  return partner;
}

export type PartnerPage = NonNullable<Awaited<ReturnType<typeof partnerPage>>>;

export async function partnerExists(scope: PartnerScope, partnerId: string): Promise<true | null> {
  const row = await db().logisticsPartner.findFirst({
    where: { id: partnerId, ...inScope(scope) },
    select: { id: true },
  });
  return row ? true : null;
}

/** The townships and villages of the county's shops: what a partner's service area is chosen from. */
export async function areaChoices(countyId: string): Promise<{ towns: string[]; villages: string[] }> {
  const shops = await db().shop.findMany({ where: { countyId }, select: { townZh: true, villageZh: true } });
  const towns = [...new Set(shops.map((s) => s.townZh).filter((t): t is string => Boolean(t)))].sort();
  const villages = [...new Set(shops.map((s) => s.villageZh))].sort();
  return { towns, villages };
}

export type AreaChoices = Awaited<ReturnType<typeof areaChoices>>;

/** Areas must be the county's own towns and villages; "all of the county" stores none. */
function checkAreas(input: PartnerFormInput, choices: AreaChoices): { ok: true; areas: string[] } | { ok: false } {
  if (input.coverage === "all") return { ok: true, areas: [] };
  const known = new Set([...choices.towns, ...choices.villages]);
  const areas = [...new Set(input.areas)];
  if (areas.length === 0 || areas.some((a) => !known.has(a))) return { ok: false };
  return { ok: true, areas };
}

export type SaveResult<T> = ({ ok: true } & T) | { ok: false; field: string; error: string };

export async function registerPartner(
  scope: PartnerScope,
  countyCode: string,
  input: PartnerFormInput,
  actor: Actor,
): Promise<SaveResult<{ id: string; apiKey: string; signingSecret: string }>> {
  const county = await db().county.findUnique({ where: { code: countyCode }, select: { id: true } });
  if (!county || (scope.countyId && scope.countyId !== county.id))
    return { ok: false, field: "county", error: "logisticsPartners.errors.county" };
  const areas = checkAreas(input, await areaChoices(county.id));
  if (!areas.ok) return { ok: false, field: "areas", error: "logisticsPartners.errors.areas" };
  const created = await createPartner({
    countyId: county.id,
    nameZh: input.nameZh,
    nameEn: input.nameEn,
    kind: input.kind,
    services: input.services,
    areas: areas.areas,
    webhookUrl: input.webhookUrl,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
  });
  await recordSecurityEvent({
    type: "partner_key_created",
    userId: actor.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    detail: { partnerId: created.id, label: "first", created: "partner" },
  });
  return { ok: true, ...created };
}

export async function updatePartner(
  scope: PartnerScope,
  partnerId: string,
  input: PartnerFormInput,
): Promise<SaveResult<object> | null> {
  const partner = await db().logisticsPartner.findFirst({
    where: { id: partnerId, ...inScope(scope) },
    select: { id: true, countyId: true, webhookUrl: true },
  });
  if (!partner) return null;
  const areas = checkAreas(input, await areaChoices(partner.countyId));
  if (!areas.ok) return { ok: false, field: "areas", error: "logisticsPartners.errors.areas" };
  const urlChanged = partner.webhookUrl !== input.webhookUrl;
  await db().logisticsPartner.update({
    where: { id: partner.id },
    data: {
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      kind: input.kind,
      services: input.services,
      areas: areas.areas,
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      webhookUrl: input.webhookUrl,
      // A new endpoint starts with a clean record.
      ...(urlChanged ? { webhookDisabledAt: null, webhookFailingSince: null } : {}),
    },
  });
  return { ok: true };
}

/** Deactivates (no new shipments, its keys stop working) or reactivates a partner; null outside the scope. */
export async function setPartnerActive(
  scope: PartnerScope,
  partnerId: string,
  active: boolean,
): Promise<boolean | null> {
  const { count } = await db().logisticsPartner.updateMany({
    where: { id: partnerId, ...inScope(scope) },
    data: { active },
  });
  return count > 0 ? true : null;
}

export async function createPartnerKey(
  scope: PartnerScope,
  partnerId: string,
  label: string,
  actor: Actor,
): Promise<{ key: string; prefix: string } | null> {
  const partner = await db().logisticsPartner.findFirst({
    where: { id: partnerId, ...inScope(scope) },
    select: { id: true },
  });
  if (!partner) return null;
  const created = await createApiKey(partner.id, label);
  await recordSecurityEvent({
    type: "partner_key_created",
    userId: actor.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    detail: { partnerId: partner.id, keyId: created.id, prefix: created.prefix, label },
  });
  return { key: created.key, prefix: created.prefix };
}

/** Revokes one of the partner's keys: true when revoked now, false when it already was; null outside the scope. */
export async function revokePartnerKey(
  scope: PartnerScope,
  partnerId: string,
  keyId: string,
  actor: Actor,
): Promise<boolean | null> {
  const key = await db().partnerApiKey.findFirst({
    where: { id: keyId, partnerId, partner: inScope(scope) },
    select: { id: true, prefix: true, partnerId: true },
  });
  if (!key) return null;
  const revoked = await revokeApiKey(key.partnerId, key.id);
  if (revoked)
    await recordSecurityEvent({
      type: "partner_key_revoked",
      userId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      detail: { partnerId: key.partnerId, keyId: key.id, prefix: key.prefix },
    });
  return revoked;
}

/** A new signing secret; the current ones keep signing for the overlap window. Null outside the scope. */
export async function rotatePartnerSecret(
  scope: PartnerScope,
  partnerId: string,
  actor: Actor,
): Promise<{ secret: string; overlapHours: number } | null> {
  const partner = await db().logisticsPartner.findFirst({
    where: { id: partnerId, ...inScope(scope) },
    select: { id: true },
  });
  if (!partner) return null;
  const secret = await createSigningSecret(partner.id);
  await recordSecurityEvent({
    type: "partner_secret_rotated",
    userId: actor.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    detail: { partnerId: partner.id },
  });
  return { secret, overlapHours: SECRET_OVERLAP_MS / 3_600_000 };
}

/** Switches a switched-off push endpoint on again (its failure record starts afresh). Null outside the scope. */
export async function reenableWebhook(scope: PartnerScope, partnerId: string): Promise<boolean | null> {
  const { count } = await db().logisticsPartner.updateMany({
    where: { id: partnerId, ...inScope(scope) },
    data: { webhookDisabledAt: null, webhookFailingSince: null },
  });
  return count > 0 ? true : null;
}

/** The active partners a shipment of the county can be given to by hand. */
export async function assignablePartners(countyIds: string[]) {
  return db().logisticsPartner.findMany({
    where: { countyId: { in: countyIds }, active: true },
    orderBy: { createdAt: "asc" },
    select: { id: true, countyId: true, nameZh: true, nameEn: true, services: true },
  });
}
