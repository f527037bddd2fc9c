import { db } from "~/db/index.server";
import type { ScopedDb } from "~/db/shop-scope.server";
import { platformOrigin } from "~/lib/origins.server";
import { parseIdentifier, type Identifier } from "~/modules/identity/identifier";
import { hashToken, newToken } from "~/modules/identity/tokens.server";
import { notify } from "~/modules/notifications/notify.server";
import { findInvitationByToken } from "./invitations.cross-shop.server";

// A shop's people: members with their roles, and invitations for staff sent by
// SMS or email. An invitation link works once, for the invited phone or email, for 7 days.

export const INVITATION_DAYS = 7;

type Tx = Parameters<Parameters<ScopedDb["$transaction"]>[0]>[0];

export async function listMembers(shopId: string) {
  const members = await db().membership.findMany({
    where: { shopId },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    include: { user: { select: { id: true, name: true, phone: true, email: true } } },
  });
  return members.map((m) => ({
    id: m.id,
    role: m.role,
    userId: m.user.id,
    name: m.user.name,
    contact: m.user.phone ?? m.user.email ?? "",
    since: m.createdAt.toISOString(),
  }));
}

/** Invitations not yet accepted and not expired. */
export async function listPendingInvitations(shopId: string, now = new Date()) {
  const rows = await db().invitation.findMany({
    where: { shopId, acceptedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, identifier: true, role: true, expiresAt: true, createdAt: true },
  });
  return rows.map((r) => ({ ...r, expiresAt: r.expiresAt.toISOString(), createdAt: r.createdAt.toISOString() }));
}

function userWhere(identifier: Identifier) {
  return identifier.kind === "email" ? { email: identifier.value } : { phone: identifier.value };
}

export type InviteResult = { ok: true; identifier: string } | { ok: false; field: "identifier"; error: string };

/**
 * Invites a phone or email to the shop's staff and sends the link. A newer invitation for
 * the same person replaces the older one, whose link stops working.
 */
export async function inviteStaff(input: {
  shopId: string;
  shopName: string;
  identifier: string;
  invitedById: string;
  locale: string;
}): Promise<InviteResult> {
  const identifier = parseIdentifier(input.identifier);
  if (!identifier) return { ok: false, field: "identifier", error: "auth.errors.identifierInvalid" };
  const existing = await db().user.findUnique({ where: userWhere(identifier), select: { id: true } });
  if (existing) {
    const member = await db().membership.findUnique({
      where: { shopId_userId: { shopId: input.shopId, userId: existing.id } },
      select: { id: true },
    });
    if (member) return { ok: false, field: "identifier", error: "shopsetup.members.errors.alreadyMember" };
  }
  const token = newToken();
  await db().$transaction(async (tx) => {
    await tx.invitation.deleteMany({ where: { shopId: input.shopId, identifier: identifier.value, acceptedAt: null } });
    await tx.invitation.create({
      data: {
        id: hashToken(token),
        shopId: input.shopId,
        identifier: identifier.value,
        role: "STAFF",
        invitedById: input.invitedById,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      },
    });
  });
  // Sent after the commit: the link must work when it arrives.
  await notify({
    channel: identifier.kind === "email" ? "EMAIL" : "SMS",
    recipient: identifier.value,
    template: "staff-invitation",
    locale: input.locale,
    // On the configured origin, never the request's Host (issue #9).
    payload: { url: `${platformOrigin()}/invite/${token}`, shop: input.shopName },
  });
  return { ok: true, identifier: identifier.value };
}

export async function revokeInvitation(shopId: string, invitationId: string): Promise<boolean> {
  const deleted = await db().invitation.deleteMany({ where: { shopId, id: invitationId, acceptedAt: null } });
  return deleted.count === 1;
}

/** Serialises membership changes of one shop, so two owners cannot remove each other at once. */
async function lockShop(tx: Tx, shopId: string) {
  await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shopId} FOR UPDATE`;
}

export type RemoveMemberResult = { ok: true; userId: string; role: "OWNER" | "STAFF" } | { ok: false; error: string };

/** Removes a member; the shop always keeps at least one OWNER. */
export async function removeMember(shopId: string, membershipId: string): Promise<RemoveMemberResult> {
  return db().$transaction(async (tx) => {
    await lockShop(tx, shopId);
    const member = await tx.membership.findFirst({ where: { shopId, id: membershipId } });
    if (!member) return { ok: false, error: "shopsetup.members.errors.notFound" };
    if (member.role === "OWNER") {
      const owners = await tx.membership.count({ where: { shopId, role: "OWNER" } });
      if (owners <= 1) return { ok: false, error: "shopsetup.members.errors.lastOwner" };
    }
    await tx.membership.deleteMany({ where: { shopId, id: member.id } });
    return { ok: true, userId: member.userId, role: member.role };
  });
}

export type InvitationState =
  | { state: "unknown" }
  | { state: "expired" | "used"; shopName: { zh: string; en: string } }
  | { state: "open"; shopName: { zh: string; en: string }; shopSlug: string; identifier: string };

/** What an invitation link stands for now. */
export async function invitationState(token: string, now = new Date()): Promise<InvitationState> {
  const invitation = await findInvitationByToken(token);
  if (!invitation) return { state: "unknown" };
  const shopName = { zh: invitation.shop.nameZh, en: invitation.shop.nameEn };
  if (invitation.acceptedAt) return { state: "used", shopName };
  if (invitation.expiresAt <= now) return { state: "expired", shopName };
  return { state: "open", shopName, shopSlug: invitation.shop.slug, identifier: invitation.identifier };
}

/** Whether the invitation was sent to this user's phone or email. */
export function invitationIsFor(identifier: string, user: { phone: string | null; email: string | null }): boolean {
  return identifier === user.phone || identifier === user.email;
}

export type AcceptResult =
  { ok: true; shopSlug: string; shopId: string; role: "OWNER" | "STAFF" } | { ok: false; error: string };

/**
 * Accepts an open invitation for the signed-in user it was sent to: the membership is
 * created once (an existing role is kept) and the link is spent.
 */
export async function acceptInvitation(input: {
  token: string;
  user: { id: string; phone: string | null; email: string | null };
  now?: Date;
}): Promise<AcceptResult> {
  const now = input.now ?? new Date();
  const invitation = await findInvitationByToken(input.token);
  if (!invitation) return { ok: false, error: "shopsetup.invite.unknown" };
  if (!invitationIsFor(invitation.identifier, input.user)) return { ok: false, error: "shopsetup.invite.notForYou" };
  const shopId = invitation.shopId;
  return db().$transaction(async (tx) => {
    // Spend the link first: of two concurrent accepts only one updates the row.
    const spent = await tx.invitation.updateMany({
      where: { shopId, id: invitation.id, acceptedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (spent.count !== 1) {
      return {
        ok: false as const,
        error: invitation.expiresAt <= now ? "shopsetup.invite.expired" : "shopsetup.invite.used",
      };
    }
    await tx.membership.upsert({
      where: { shopId_userId: { shopId, userId: input.user.id } },
      create: { shopId, userId: input.user.id, role: invitation.role },
      update: {},
    });
    return { ok: true as const, shopSlug: invitation.shop.slug, shopId, role: invitation.role };
  });
}

/** 139****1234, w***@example.cn: enough for someone to recognise their own, not to read another's. */
export function maskIdentifier(identifier: string): string {
  const at = identifier.indexOf("@");
  if (at > 0) return `${identifier[0]}***${identifier.slice(at)}`;
  return identifier.length === 11 ? `${identifier.slice(0, 3)}****${identifier.slice(7)}` : identifier;
}
