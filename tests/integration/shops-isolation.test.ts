import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { hashToken, newToken } from "~/modules/identity/tokens.server";
import { action as overviewAction, loader as overviewLoader } from "~/routes/admin.$shop._index";
import { action as membersAction, loader as membersLoader } from "~/routes/admin.$shop.members";
import { action as settingsAction, loader as settingsLoader } from "~/routes/admin.$shop.settings";
import { createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { createCounty, createShopAs, makeReadyForReview, shopFields } from "./shops-fixtures";

// Shop A's owner must not read or change anything of shop B through these routes:
// every loader and action answers 404 (B's existence is not even confirmed).

let countyId: string;
let ownerA: Session;
let shopA: { slug: string; id: string };
let shopB: { slug: string; id: string };

beforeAll(async () => {
  countyId = (await createCounty()).id;
  ownerA = await signedIn((await createUser()).id);
  const ownerB = await signedIn((await createUser()).id);
  shopA = await createShopAs(ownerA, shopFields(countyId, { nameZh: "甲合作社" }));
  shopB = await createShopAs(
    ownerB,
    shopFields(countyId, {
      nameZh: "乙合作社",
      "certifications[0].kind": "ORGANIC",
      "certifications[0].nameZh": "乙的证书",
    }),
  );
  await makeReadyForReview(shopB.id);
});

describe("shop A's owner under shop B", () => {
  it("gets 404 from every loader", async () => {
    const base = `http://localhost/admin/${shopB.slug}`;
    const params = { shop: shopB.slug };
    expect((await run(overviewLoader, getAs(ownerA, base), params)).status).toBe(404);
    expect((await run(settingsLoader, getAs(ownerA, `${base}/settings`), params)).status).toBe(404);
    expect((await run(membersLoader, getAs(ownerA, `${base}/members`), params)).status).toBe(404);
  });

  it("gets 404 from every action, and nothing of B changes", async () => {
    const base = `http://localhost/admin/${shopB.slug}`;
    const params = { shop: shopB.slug };
    const bOwnerMembership = await db().membership.findFirstOrThrow({ where: { shopId: shopB.id } });
    const token = newToken();
    await db().invitation.create({
      data: {
        id: hashToken(token),
        shopId: shopB.id,
        identifier: "13988889999",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const before = await db().shop.findUniqueOrThrow({ where: { id: shopB.id } });

    expect((await run(overviewAction, postAs(ownerA, base, {}), params)).status).toBe(404);
    expect(
      (
        await run(
          settingsAction,
          postAs(ownerA, `${base}/settings`, shopFields(countyId, { nameZh: "被改名" })),
          params,
        )
      ).status,
    ).toBe(404);
    const memberForms: Record<string, string>[] = [
      { intent: "invite", identifier: "13900009999" },
      { intent: "revoke", invitationId: hashToken(token) },
      { intent: "remove", membershipId: bOwnerMembership.id },
    ];
    for (const fields of memberForms) {
      expect((await run(membersAction, postAs(ownerA, `${base}/members`, fields), params)).status).toBe(404);
    }

    const after = await db().shop.findUniqueOrThrow({ where: { id: shopB.id } });
    expect(after).toEqual(before);
    expect(after.status).toBe("DRAFT");
    expect(await db().membership.count({ where: { shopId: shopB.id } })).toBe(1);
    expect(await db().invitation.count({ where: { shopId: shopB.id } })).toBe(1);
    expect(await db().notification.count({ where: { recipient: "13900009999" } })).toBe(0);
  });

  it("cannot reach B's rows through its own shop's forms either", async () => {
    const base = `http://localhost/admin/${shopA.slug}`;
    const params = { shop: shopA.slug };
    const bMembership = await db().membership.findFirstOrThrow({ where: { shopId: shopB.id } });
    const removed = await run(
      membersAction,
      postAs(ownerA, `${base}/members`, { intent: "remove", membershipId: bMembership.id }),
      params,
    );
    expect(removed.status).toBe(404);
    const bInvitation = await db().invitation.findFirstOrThrow({ where: { shopId: shopB.id } });
    const revoked = await run(
      membersAction,
      postAs(ownerA, `${base}/members`, { intent: "revoke", invitationId: bInvitation.id }),
      params,
    );
    expect(revoked.status).toBe(404);

    // A certification id of B's, sent with A's settings, becomes a new row of A's; B's is untouched.
    const bCertification = await db().shopCertification.findFirstOrThrow({ where: { shopId: shopB.id } });
    const saved = await run(
      settingsAction,
      postAs(ownerA, `${base}/settings`, {
        ...shopFields(countyId, { nameZh: "甲合作社" }),
        "certifications[0].id": bCertification.id,
        "certifications[0].kind": "OTHER",
        "certifications[0].nameZh": "甲改的",
      }),
      params,
    );
    expect(saved.status).toBe(302);
    expect(
      await db().shopCertification.findFirstOrThrow({ where: { id: bCertification.id, shopId: shopB.id } }),
    ).toMatchObject({ nameZh: "乙的证书" });
    expect(await db().shopCertification.findMany({ where: { shopId: shopA.id } })).toEqual([
      expect.objectContaining({ nameZh: "甲改的" }),
    ]);
    expect(await db().membership.count({ where: { id: bMembership.id, shopId: shopB.id } })).toBe(1);
    expect(await db().invitation.count({ where: { id: bInvitation.id, shopId: shopB.id } })).toBe(1);
  });
});
