import { db } from "~/db/index.server";
import { platformOrigin } from "~/lib/origins.server";
import { parseIdentifier } from "~/modules/identity/identifier";
import { requirePlatformAdmin, requireUser, type SignedInUser } from "~/modules/identity/session.server";
import { hashToken, newToken } from "~/modules/identity/tokens.server";
import { notify } from "~/modules/notifications/notify.server";

// A logistics partner's staff (issue #10): people invited by the county's coordinator or a
// platform admin, who then use the portal /logistics. Like a shop's staff invitations: the link
// works once, for the invited phone or email, for 7 days.

export const PARTNER_INVITATION_DAYS = 7;

export interface PartnerRef {
  id: string;
  nameZh: string;
  nameEn: string | null;
}

/** The partners the user works for. */
export async function partnersOfUser(userId: string): Promise<PartnerRef[]> {
  const rows = await db().partnerMember.findMany({
    where: { userId, partner: { active: true } },
    orderBy: { createdAt: "asc" },
    select: { partner: { select: { id: true, nameZh: true, nameEn: true } } },
  });
  return rows.map((r) => r.partner);
}

/**
 * A signed-in member of at least one partner's staff (signed out: to the sign-in page, and
 * back; signed in without a partner: 403).
 */
export async function requirePartnerStaff(request: Request): Promise<{ user: SignedInUser; partners: PartnerRef[] }> {
  const user = await requireUser(request);
  const partners = await partnersOfUser(user.id);
  if (partners.length === 0) throw new Response(null, { status: 403, statusText: "Forbidden" });
  return { user, partners };
}

/** Whether the user may invite staff for the partner: a platform admin, or its county's coordinator. */
export async function canManagePartnerStaff(
  user: { id: string; isPlatformAdmin: boolean },
  partnerId: string,
): Promise<PartnerRef | null> {
  const partner = await db().logisticsPartner.findUnique({
    where: { id: partnerId },
    select: { id: true, nameZh: true, nameEn: true, countyId: true },
  });
  if (!partner) return null;
  if (!user.isPlatformAdmin) {
    const coordinator = await db().countyCoordinator.findUnique({
      where: { countyId_userId: { countyId: partner.countyId, userId: user.id } },
      select: { id: true },
    });
    if (!coordinator) return null;
  }
  return { id: partner.id, nameZh: partner.nameZh, nameEn: partner.nameEn };
}

/**
 * Someone who may invite the partner's staff: its county's coordinator, or a platform admin
 * (who, as everywhere on the platform, must have signed in with two factors). Someone who is
 * neither: 403; another county's coordinator: 404.
 */
export async function requirePartnerStaffManager(
  request: Request,
  partnerId: string | undefined,
): Promise<{ user: SignedInUser; partner: PartnerRef }> {
  const user = await requireUser(request);
  if (user.isPlatformAdmin) await requirePlatformAdmin(request);
  // Neither an admin nor any county's coordinator: a platform page is forbidden, as for every other.
  else if (!(await db().countyCoordinator.findFirst({ where: { userId: user.id }, select: { id: true } })))
    throw new Response(null, { status: 403, statusText: "Forbidden" });
  const partner = partnerId ? await canManagePartnerStaff(user, partnerId) : null;
  if (!partner) throw new Response(null, { status: 404, statusText: "Not Found" });
  return { user, partner };
}

export async function listPartnerStaff(partnerId: string, now = new Date()) {
  const [members, invitations] = await Promise.all([
    db().partnerMember.findMany({
      where: { partnerId },
      orderBy: { createdAt: "asc" },
      select: { id: true, createdAt: true, user: { select: { name: true, phone: true, email: true } } },
    }),
    db().partnerInvitation.findMany({
      where: { partnerId, acceptedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
      select: { identifier: true, expiresAt: true },
    }),
  ]);
  return {
    members: members.map((m) => ({
      id: m.id,
      name: m.user.name,
      contact: m.user.phone ?? m.user.email ?? "",
      since: m.createdAt.toISOString(),
    })),
    invitations: invitations.map((i) => ({ identifier: i.identifier, expiresAt: i.expiresAt.toISOString() })),
  };
}

export type PartnerInviteResult =
  { ok: true; identifier: string; token: string } | { ok: false; field: "identifier"; error: string };

/**
 * Invites a phone or email to the partner's staff and sends the link (SMS or email). A newer
 * invitation for the same person replaces the older one, whose link stops working.
 */
export async function inviteToPartner(input: {
  partnerId: string;
  identifier: string;
  invitedById: string;
  locale?: string;
  now?: Date;
}): Promise<PartnerInviteResult> {
  const now = input.now ?? new Date();
  const identifier = parseIdentifier(input.identifier);
  if (!identifier) return { ok: false, field: "identifier", error: "auth.errors.identifierInvalid" };
  const partner = await db().logisticsPartner.findUniqueOrThrow({
    where: { id: input.partnerId },
    select: { nameZh: true },
  });
  const existing = await db().user.findUnique({
    where: identifier.kind === "email" ? { email: identifier.value } : { phone: identifier.value },
    select: { id: true },
  });
  if (existing) {
    const member = await db().partnerMember.findUnique({
      where: { partnerId_userId: { partnerId: input.partnerId, userId: existing.id } },
      select: { id: true },
    });
    if (member) return { ok: false, field: "identifier", error: "portal.staff.errors.alreadyMember" };
  }
  const token = newToken();
  await db().$transaction(async (tx) => {
    await tx.partnerInvitation.deleteMany({
      where: { partnerId: input.partnerId, identifier: identifier.value, acceptedAt: null },
    });
    await tx.partnerInvitation.create({
      data: {
        id: hashToken(token),
        partnerId: input.partnerId,
        identifier: identifier.value,
        invitedById: input.invitedById,
        expiresAt: new Date(now.getTime() + PARTNER_INVITATION_DAYS * 86_400_000),
      },
    });
  });
  // Sent after the commit, on the configured origin (never the request's Host).
  await notify({
    channel: identifier.kind === "email" ? "EMAIL" : "SMS",
    recipient: identifier.value,
    template: "partner-staff-invitation",
    locale: input.locale ?? "zh-CN",
    payload: { url: `${platformOrigin()}/logistics/invite/${token}`, partner: partner.nameZh },
  });
  return { ok: true, identifier: identifier.value, token };
}

export type PartnerInvitationState =
  | { state: "unknown" }
  | { state: "expired" | "used"; partnerName: string }
  | { state: "open"; partnerName: string; identifier: string };

export async function partnerInvitationState(token: string, now = new Date()): Promise<PartnerInvitationState> {
  if (!token) return { state: "unknown" };
  const invitation = await db().partnerInvitation.findUnique({
    where: { id: hashToken(token) },
    select: { identifier: true, acceptedAt: true, expiresAt: true, partner: { select: { nameZh: true } } },
  });
  if (!invitation) return { state: "unknown" };
  const partnerName = invitation.partner.nameZh;
  if (invitation.acceptedAt) return { state: "used", partnerName };
  if (invitation.expiresAt <= now) return { state: "expired", partnerName };
  return { state: "open", partnerName, identifier: invitation.identifier };
}

export function partnerInvitationIsFor(identifier: string, user: { phone: string | null; email: string | null }) {
  return identifier === user.phone || identifier === user.email;
}

export type AcceptPartnerResult =
  { ok: true; partnerId: string } | { ok: false; error: string; status: 403 | 404 | 410 };

/** Accepts an open invitation for the signed-in user it was sent to; the link is spent once. */
export async function acceptPartnerInvitation(input: {
  token: string;
  user: { id: string; phone: string | null; email: string | null };
  now?: Date;
}): Promise<AcceptPartnerResult> {
  const now = input.now ?? new Date();
  const id = hashToken(input.token);
  const invitation = input.token
    ? await db().partnerInvitation.findUnique({
        where: { id },
        select: { partnerId: true, identifier: true, expiresAt: true },
      })
    : null;
  if (!invitation) return { ok: false, error: "portal.invite.unknown", status: 404 };
  if (!partnerInvitationIsFor(invitation.identifier, input.user))
    return { ok: false, error: "portal.invite.notForYou", status: 403 };
  return db().$transaction(async (tx) => {
    // Spend the link first: of two concurrent accepts only one updates the row.
    const spent = await tx.partnerInvitation.updateMany({
      where: { id, acceptedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (spent.count !== 1) {
      return {
        ok: false as const,
        error: invitation.expiresAt <= now ? "portal.invite.expired" : "portal.invite.used",
        status: 410 as const,
      };
    }
    await tx.partnerMember.upsert({
      where: { partnerId_userId: { partnerId: invitation.partnerId, userId: input.user.id } },
      create: { partnerId: invitation.partnerId, userId: input.user.id },
      update: {},
    });
    return { ok: true as const, partnerId: invitation.partnerId };
  });
}
