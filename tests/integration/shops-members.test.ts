import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { hashToken } from "~/modules/identity/tokens.server";
import { action as membersAction, loader as membersLoader } from "~/routes/admin.$shop.members";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { addMember, createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { createCounty, createShopAs, shopFields } from "./shops-fixtures";

let owner: { id: string; phone: string };
let ownerSession: Session;
let shop: { slug: string; id: string };
let membersUrl: string;

beforeAll(async () => {
  const county = await createCounty();
  owner = await createUser();
  ownerSession = await signedIn(owner.id);
  shop = await createShopAs(ownerSession, shopFields(county.id, { nameZh: "邀请测试社" }));
  membersUrl = `http://localhost/admin/${shop.slug}/members`;
});

const members = (session: Session, fields: Record<string, string>) =>
  run(membersAction, postAs(session, membersUrl, fields), { shop: shop.slug });

/** Invites someone and returns the token from the link in the notification that was sent. */
async function invite(identifier: string) {
  const result = await members(ownerSession, { intent: "invite", identifier });
  expect(result.status).toBe(302);
  expect(result.location).toBe(`/admin/${shop.slug}/members?invited=1`);
  const notification = await db().notification.findFirstOrThrow({
    where: { template: "staff-invitation" },
    orderBy: { createdAt: "desc" },
  });
  const { url } = notification.payload as { url: string };
  return { token: url.split("/invite/")[1]!, notification };
}

const inviteUrl = (token: string) => `http://localhost/invite/${token}`;
const openLink = (session: Session | null, token: string) =>
  run(inviteLoader, getAs(session, inviteUrl(token)), { token });
const accept = (session: Session, token: string) => run(inviteAction, postAs(session, inviteUrl(token), {}), { token });

describe("inviting staff", () => {
  it("stores only the token's hash, sends a working link by SMS, and lists the invitation as pending", async () => {
    const { token, notification } = await invite("+86 139-1111-2222");
    expect(notification).toMatchObject({ channel: "SMS", recipient: "13911112222", locale: "zh-CN" });
    expect(notification.payload).toEqual({ url: `http://localhost/invite/${token}`, shop: "邀请测试社" });
    const invitation = await db().invitation.findUniqueOrThrow({
      where: { shopId_id: { shopId: shop.id, id: hashToken(token) } },
    });
    expect(invitation).toMatchObject({
      identifier: "13911112222",
      role: "STAFF",
      invitedById: owner.id,
      acceptedAt: null,
    });
    const days = (invitation.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    const page = await run(membersLoader, getAs(ownerSession, membersUrl), { shop: shop.slug });
    expect(
      (page.data as unknown as { invitations: { identifier: string }[] }).invitations.map((i) => i.identifier),
    ).toContain("13911112222");
  });

  it("sends an email invitation by email, and refuses bad or member identifiers with a field error", async () => {
    const { notification } = await invite("Helper@Example.cn");
    expect(notification).toMatchObject({ channel: "EMAIL", recipient: "helper@example.cn" });
    const bad = await members(ownerSession, { intent: "invite", identifier: "12345" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.data)).toContain("auth.errors.identifierInvalid");
    const self = await members(ownerSession, { intent: "invite", identifier: owner.phone });
    expect(self.status).toBe(400);
    expect(JSON.stringify(self.data)).toContain("shopsetup.members.errors.alreadyMember");
  });

  it("lets the invited person sign up or sign in and come back, then accept once", async () => {
    const { token } = await invite("13922223333");
    const signedOut = await openLink(null, token);
    expect(signedOut.status).toBe(200);
    expect(signedOut.data).toMatchObject({
      state: "signedOut",
      shopName: "邀请测试社",
      invited: "139****3333",
      back: encodeURIComponent(`/invite/${token}`),
    });

    const invitee = await db().user.create({ data: { phone: "13922223333", name: "小李" } });
    const session = await signedIn(invitee.id);
    expect((await openLink(session, token)).data).toMatchObject({ state: "ready" });
    const accepted = await accept(session, token);
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe(`/admin/${shop.slug}?joined=1`);
    expect(await db().membership.findMany({ where: { shopId: shop.id, userId: invitee.id } })).toEqual([
      expect.objectContaining({ role: "STAFF" }),
    ]);
    expect(
      (await db().invitation.findUniqueOrThrow({ where: { shopId_id: { shopId: shop.id, id: hashToken(token) } } }))
        .acceptedAt,
    ).toBeInstanceOf(Date);

    const again = await accept(session, token);
    expect(again.status).toBe(410);
    expect(again.data).toEqual({ error: "shopsetup.invite.used" });
    expect((await openLink(session, token)).status).toBe(410);
    expect(await db().membership.count({ where: { shopId: shop.id, userId: invitee.id } })).toBe(1);
  });

  it("cannot be accepted by a different user", async () => {
    const { token } = await invite("13933334444");
    const other = await signedIn((await createUser()).id);
    expect((await openLink(other, token)).data).toMatchObject({ state: "mismatch", invited: "139****4444" });
    const refused = await accept(other, token);
    expect(refused.status).toBe(403);
    expect(refused.data).toEqual({ error: "shopsetup.invite.notForYou" });
    expect(
      (await db().invitation.findUniqueOrThrow({ where: { shopId_id: { shopId: shop.id, id: hashToken(token) } } }))
        .acceptedAt,
    ).toBeNull();
  });

  it("refuses an expired link and explains an unknown one", async () => {
    const { token } = await invite("13944445555");
    await db().invitation.update({
      where: { shopId_id: { shopId: shop.id, id: hashToken(token) } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const invitee = await db().user.create({ data: { phone: "13944445555" } });
    const session = await signedIn(invitee.id);
    const page = await openLink(session, token);
    expect(page.status).toBe(410);
    expect(page.data).toMatchObject({ state: "expired", shopName: "邀请测试社" });
    const refused = await accept(session, token);
    expect(refused.status).toBe(410);
    expect(refused.data).toEqual({ error: "shopsetup.invite.expired" });
    expect(await db().membership.count({ where: { shopId: shop.id, userId: invitee.id } })).toBe(0);

    const unknown = await openLink(null, "no-such-token");
    expect(unknown.status).toBe(404);
    expect(unknown.data).toMatchObject({ state: "unknown" });
  });

  it("replaces an older invitation for the same person, and revokes one", async () => {
    const first = await invite("13955556666");
    const second = await invite("13955556666");
    expect((await openLink(null, first.token)).status).toBe(404);
    expect((await openLink(null, second.token)).status).toBe(200);
    const revoked = await members(ownerSession, { intent: "revoke", invitationId: hashToken(second.token) });
    expect(revoked.status).toBe(302);
    expect((await openLink(null, second.token)).status).toBe(404);
  });
});

describe("members", () => {
  it("shows staff the list, but refuses them inviting, revoking and removing (403)", async () => {
    const staff = await createUser();
    await addMember(shop.id, staff.id, "STAFF");
    const session = await signedIn(staff.id);
    const page = await run(membersLoader, getAs(session, membersUrl), { shop: shop.slug });
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ canManage: false, invitations: [] });
    const ownerMembership = await db().membership.findFirstOrThrow({ where: { shopId: shop.id, userId: owner.id } });
    const before = await db().notification.count();
    expect((await members(session, { intent: "invite", identifier: "13966667777" })).status).toBe(403);
    expect((await members(session, { intent: "remove", membershipId: ownerMembership.id })).status).toBe(403);
    const { token } = await invite("13977778888");
    expect((await members(session, { intent: "revoke", invitationId: hashToken(token) })).status).toBe(403);
    expect(await db().notification.count()).toBe(before + 1);
    expect(await db().membership.count({ where: { id: ownerMembership.id, shopId: shop.id } })).toBe(1);
  });

  it("never removes the last owner; removes staff and other owners", async () => {
    const ownerMembership = await db().membership.findFirstOrThrow({ where: { shopId: shop.id, userId: owner.id } });
    const refused = await members(ownerSession, { intent: "remove", membershipId: ownerMembership.id });
    expect(refused.status).toBe(400);
    expect(refused.data).toEqual({ invite: null, error: "shopsetup.members.errors.lastOwner" });

    const staff = await createUser();
    await addMember(shop.id, staff.id, "STAFF");
    const staffMembership = await db().membership.findFirstOrThrow({ where: { shopId: shop.id, userId: staff.id } });
    const removed = await members(ownerSession, { intent: "remove", membershipId: staffMembership.id });
    expect(removed.status).toBe(302);
    expect(removed.location).toBe(`/admin/${shop.slug}/members?removed=1`);

    // With a second owner, the first may leave; then the second is the last one.
    const second = await createUser();
    await addMember(shop.id, second.id, "OWNER");
    const left = await members(ownerSession, { intent: "remove", membershipId: ownerMembership.id });
    expect(left.status).toBe(302);
    expect(left.location).toBe("/admin");
    const secondMembership = await db().membership.findFirstOrThrow({ where: { shopId: shop.id, userId: second.id } });
    const last = await members(await signedIn(second.id), { intent: "remove", membershipId: secondMembership.id });
    expect(last.status).toBe(400);
    expect(await db().membership.findMany({ where: { shopId: shop.id, role: "OWNER" } })).toHaveLength(1);
  });
});
