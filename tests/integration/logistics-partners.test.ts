import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { createI18n } from "~/lib/i18n.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { rejectShipment } from "~/modules/logistics/partner-actions.cross-shop.server";
import { hashApiKey, partnerOfApiKey, signingSecrets } from "~/modules/logistics/partner-keys.server";
import { packShopOrder } from "~/modules/logistics/packing.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { loader as countyLayoutLoader } from "~/routes/county.$code";
import { action as countyPartnerAction, loader as countyPartnerLoader } from "~/routes/county.$code.logistics.$partner";
import { action as countyListAction, loader as countyListLoader } from "~/routes/county.$code.logistics._index";
import {
  action as platformPartnerAction,
  loader as platformPartnerLoader,
} from "~/routes/platform.logistics.$partner._index";
import { action as platformListAction, loader as platformListLoader } from "~/routes/platform.logistics._index";
import { addMember, createUser, getAs, postAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { serverUrl, withDatabase } from "../support/database";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// Registering partners and their credentials (issue #10), through the routes of the platform
// admin (/platform/logistics) and the county coordinator (/county/:code/logistics): keys shown
// once and stored hashed, secret rotation with an overlap, the coordinator kept to their own
// county on every loader and action, bad input refused with a translated error and no change,
// hand assignment into the partner's feed; and the operators' CLI.

let f: Fixture;
let shopA: string;
let shopB: string;
let countyA: { id: string; code: string };
let countyB: { id: string; code: string };
let admin: Session;
let adminId: string;
let coordinatorA: Session;
let ownerA: Session;
let ownerAId: string;
let ownerBId: string;
let buyer: Session;

const P = "http://localhost/platform/logistics";
const C = (code: string) => `http://localhost/county/${code}/logistics`;

function partnerFields(over: Record<string, string | string[]> = {}) {
  return {
    intent: "create",
    nameZh: "测试县物流中心",
    nameEn: "Test County Logistics",
    kind: "COUNTY_CENTRE",
    services: ["HOME", "PICKUP_POINT"],
    coverage: "all",
    webhookUrl: "https://partner.example/hooks",
    ...over,
  };
}

async function paidAndPacked(shopId: string, variantId: string, ownerId: string) {
  const placed = await placeTestOrder({ lines: [{ variantId, quantity: 1 }] });
  const so = placed.shopOrders.get(shopId)!;
  expect(await actOnShopOrder({ shopId, shopOrderId: so.id, action: "confirmPayment", userId: ownerId })).toEqual({
    ok: true,
  });
  const packed = await packShopOrder({
    shopId,
    shopOrderId: so.id,
    userId: ownerId,
    parcels: { parcelCount: 1, weightGrams: 2500, coldChain: true },
  });
  expect(packed.ok).toBe(true);
  return unscopedDb().shipment.findFirstOrThrow({ where: { shopOrderId: so.id } });
}

/** Everything the partner pages can change, to show that a refused request changed nothing. */
async function snapshot() {
  const prisma = unscopedDb();
  const [partners, keys, secrets, shipments, deliveries, events] = await Promise.all([
    prisma.logisticsPartner.findMany({ orderBy: { id: "asc" } }),
    prisma.partnerApiKey.findMany({ orderBy: { id: "asc" } }),
    prisma.partnerSigningSecret.findMany({ orderBy: { id: "asc" } }),
    prisma.shipment.findMany({ orderBy: { id: "asc" } }),
    prisma.webhookDelivery.count(),
    prisma.securityEvent.count({ where: { type: { startsWith: "partner_" } } }),
  ]);
  return JSON.stringify({ partners, keys, secrets, shipments, deliveries, events }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

async function translated(key: string) {
  const [zh, en] = await Promise.all([createI18n("zh-CN"), createI18n("en")]);
  const [k, values] = key.split("|");
  const opts = values ? (JSON.parse(values) as Record<string, unknown>) : {};
  return { zh: zh.t(k!, opts), en: en.t(k!, opts), key: k! };
}

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  const shops = await unscopedDb().shop.findMany({
    where: { id: { in: [shopA, shopB] } },
    select: { id: true, county: { select: { id: true, code: true } } },
  });
  countyA = shops.find((s) => s.id === shopA)!.county;
  countyB = shops.find((s) => s.id === shopB)!.county;
  expect(countyA.id).not.toBe(countyB.id);
  const a = await createUser({ name: "平台管理员", isPlatformAdmin: true });
  adminId = a.id;
  admin = await signedIn(a.id);
  const coord = await createUser({ name: "县协调员" });
  await unscopedDb().countyCoordinator.create({ data: { countyId: countyA.id, userId: coord.id } });
  coordinatorA = await signedIn(coord.id);
  const oA = await createUser();
  ownerAId = oA.id;
  await addMember(shopA, oA.id, "OWNER");
  ownerA = await signedIn(oA.id);
  const oB = await createUser();
  ownerBId = oB.id;
  await addMember(shopB, oB.id, "OWNER");
  buyer = await signedIn((await createUser()).id);
});

describe("the platform admin registers a partner and its credentials", () => {
  it("shows the first key and secret once, stores only the key's hash; a new key works until revoked", async () => {
    const created = await run(platformListAction as never, postAs(admin, P, partnerFields({ county: countyA.code })));
    expect(created.status).toBe(200);
    const body = created.data as unknown as {
      intent: string;
      partnerId: string;
      apiKey: string;
      signingSecret: string;
    };
    expect(body.intent).toBe("created");
    expect(body.apiKey).toMatch(/^lk_/);
    expect(body.signingSecret).toMatch(/^whsec_/);

    const partner = await unscopedDb().logisticsPartner.findUniqueOrThrow({ where: { id: body.partnerId } });
    expect(partner).toMatchObject({
      countyId: countyA.id,
      nameZh: "测试县物流中心",
      kind: "COUNTY_CENTRE",
      services: ["HOME", "PICKUP_POINT"],
      areas: [],
      webhookUrl: "https://partner.example/hooks",
      active: true,
    });
    const keys = await unscopedDb().partnerApiKey.findMany({ where: { partnerId: partner.id } });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.hash).toBe(hashApiKey(body.apiKey));
    expect(JSON.stringify(keys)).not.toContain(body.apiKey);
    expect(JSON.stringify(await unscopedDb().partnerSigningSecret.findMany())).not.toContain(body.signingSecret);
    expect(await partnerOfApiKey(body.apiKey)).toMatchObject({ partnerId: partner.id, countyCode: countyA.code });
    expect(await signingSecrets(partner.id)).toEqual([body.signingSecret]);

    // The list shows it; its page never carries a key or a secret again.
    const list = await run(platformListLoader as never, getAs(admin, `${P}?county=${countyA.code}`));
    expect(list.status).toBe(200);
    const rows = (list.data as unknown as { partners: { id: string; activeKeys: number }[] }).partners;
    expect(rows).toEqual([expect.objectContaining({ id: partner.id, activeKeys: 1 })]);
    const page = await run(platformPartnerLoader as never, getAs(admin, `${P}/${partner.id}`), { partner: partner.id });
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).not.toContain(body.apiKey);
    expect(JSON.stringify(page.data)).not.toContain(body.signingSecret);
    expect(JSON.stringify(page.data)).not.toContain(keys[0]!.hash);

    // A second key, with a label: shown once, works beside the first.
    const made = await run(
      platformPartnerAction as never,
      postAs(admin, `${P}/${partner.id}`, { intent: "createKey", label: "服务器 2026" }),
      { partner: partner.id },
    );
    expect(made.status).toBe(200);
    const second = (made.data as unknown as { intent: string; key: string; prefix: string }).key;
    expect(second).toMatch(/^lk_/);
    expect(await partnerOfApiKey(second)).toMatchObject({ partnerId: partner.id });
    expect(await partnerOfApiKey(body.apiKey)).toMatchObject({ partnerId: partner.id });
    const secondRow = await unscopedDb().partnerApiKey.findUniqueOrThrow({ where: { hash: hashApiKey(second) } });
    expect(secondRow.label).toBe("服务器 2026");

    // Revoking needs the confirmation; then the key stops working, the other goes on.
    const unconfirmed = await run(
      platformPartnerAction as never,
      postAs(admin, `${P}/${partner.id}`, { intent: "revokeKey", key: secondRow.id }),
      { partner: partner.id },
    );
    expect(unconfirmed.status).toBe(400);
    expect(await partnerOfApiKey(second)).not.toBeNull();
    const revoked = await run(
      platformPartnerAction as never,
      postAs(admin, `${P}/${partner.id}`, { intent: "revokeKey", key: secondRow.id, confirm: "yes" }),
      { partner: partner.id },
    );
    expect(revoked.status).toBe(200);
    expect(await partnerOfApiKey(second)).toBeNull();
    expect(await partnerOfApiKey(body.apiKey)).not.toBeNull();
    expect(
      (await unscopedDb().partnerApiKey.findUniqueOrThrow({ where: { id: secondRow.id } })).revokedAt,
    ).not.toBeNull();

    const events = await unscopedDb().securityEvent.findMany({
      where: { type: { startsWith: "partner_key" }, userId: adminId },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual(["partner_key_created", "partner_key_created", "partner_key_revoked"]);
    expect(events.every((e) => (e.detail as { partnerId: string }).partnerId === partner.id)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(second);
  });

  it("rotating the secret shows the new one once; old and new both sign until the overlap ends", async () => {
    const { id, signingSecret: old } = await createPartner({
      countyId: countyA.id,
      nameZh: "邮政",
      kind: "POST",
      services: ["HOME"],
      areas: [],
      webhookUrl: "https://post.example/hook",
    });
    const rotated = await run(platformPartnerAction as never, postAs(admin, `${P}/${id}`, { intent: "rotateSecret" }), {
      partner: id,
    });
    expect(rotated.status).toBe(200);
    const { secret, overlapHours } = rotated.data as unknown as { secret: string; overlapHours: number };
    expect(overlapHours).toBe(24);
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(old);
    expect(await signingSecrets(id)).toEqual([secret, old]);
    expect(await signingSecrets(id, new Date(Date.now() + 23 * 3_600_000))).toEqual([secret, old]);
    expect(await signingSecrets(id, new Date(Date.now() + 25 * 3_600_000))).toEqual([secret]);
    expect(await unscopedDb().securityEvent.count({ where: { type: "partner_secret_rotated", userId: adminId } })).toBe(
      1,
    );
  });

  it("a switched-off push endpoint shows on the page and can be switched on again", async () => {
    const { id } = await createPartner({
      countyId: countyA.id,
      nameZh: "快递",
      kind: "EXPRESS",
      services: ["HOME"],
      areas: [],
      webhookUrl: "https://express.example/hook",
    });
    const since = new Date(Date.now() - 26 * 3_600_000);
    await unscopedDb().logisticsPartner.update({
      where: { id },
      data: { webhookDisabledAt: new Date(), webhookFailingSince: since },
    });
    const page = await run(platformPartnerLoader as never, getAs(admin, `${P}/${id}`), { partner: id });
    expect(
      (page.data as unknown as { partner: { webhookDisabledAt: Date | null } }).partner.webhookDisabledAt,
    ).not.toBeNull();
    const on = await run(platformPartnerAction as never, postAs(admin, `${P}/${id}`, { intent: "reenableWebhook" }), {
      partner: id,
    });
    expect(on.status).toBe(200);
    expect(await unscopedDb().logisticsPartner.findUniqueOrThrow({ where: { id } })).toMatchObject({
      webhookDisabledAt: null,
      webhookFailingSince: null,
    });
  });
});

describe("bad input", () => {
  const cases: [string, Record<string, string | string[]>, string][] = [
    ["no name", { nameZh: "  " }, "nameZh"],
    ["no service", { services: [] }, "services"],
    ["an unknown service", { services: ["HOME", "TELEPORT"] }, "services"],
    ["an unknown kind", { kind: "AIRLINE" }, "kind"],
    ["a push URL that is not http(s)", { webhookUrl: "ftp://partner.example/x" }, "webhookUrl"],
    ["a push URL with a password", { webhookUrl: "https://u:p@partner.example/x" }, "webhookUrl"],
    ["not a URL", { webhookUrl: "partner hooks" }, "webhookUrl"],
    ["areas not of the county", { coverage: "some", areas: ["别处村"] }, "areas"],
    ["'some' areas without any", { coverage: "some" }, "areas"],
  ];
  it.each(cases)("%s: a translated error on the field, nothing written", async (_name, over, field) => {
    const before = await snapshot();
    for (const [session, action, url] of [
      [admin, platformListAction, P],
      [coordinatorA, countyListAction, C(countyA.code)],
    ] as const) {
      const fields = partnerFields({ county: countyA.code, ...over });
      const result = await run(action as never, postAs(session, url, fields), { code: countyA.code });
      expect(result.status).toBe(400);
      const reply = (result.data as unknown as { intent: string; result: { error: Record<string, string[]> } }).result;
      const key = reply.error[field]?.[0];
      expect(key, JSON.stringify(reply.error)).toBeDefined();
      const text = await translated(key!);
      expect(text.zh).not.toBe(text.key);
      expect(text.en).not.toBe(text.key);
      expect(text.zh).not.toBe(text.en);
    }
    expect(await snapshot()).toBe(before);
  });

  it("an edit with bad input changes nothing; a good one saves", async () => {
    const { id } = await createPartner({
      countyId: countyA.id,
      nameZh: "原名",
      kind: "EXPRESS",
      services: ["HOME"],
      areas: [],
    });
    const before = await snapshot();
    const bad = await run(
      countyPartnerAction as never,
      postAs(coordinatorA, `${C(countyA.code)}/${id}`, {
        ...partnerFields({ intent: "edit", webhookUrl: "javascript:alert(1)" }),
      }),
      { code: countyA.code, partner: id },
    );
    expect(bad.status).toBe(400);
    expect(await snapshot()).toBe(before);
    const good = await run(
      countyPartnerAction as never,
      postAs(coordinatorA, `${C(countyA.code)}/${id}`, {
        ...partnerFields({ intent: "edit", nameZh: "新名", coverage: "some", areas: ["测试村"] }),
      }),
      { code: countyA.code, partner: id },
    );
    expect(good.status).toBe(200);
    expect(await unscopedDb().logisticsPartner.findUniqueOrThrow({ where: { id } })).toMatchObject({
      nameZh: "新名",
      areas: ["测试村"],
      kind: "COUNTY_CENTRE",
    });
    const key = await run(
      countyPartnerAction as never,
      postAs(coordinatorA, `${C(countyA.code)}/${id}`, { intent: "createKey", label: "" }),
      { code: countyA.code, partner: id },
    );
    expect(key.status).toBe(400);
    expect(await unscopedDb().partnerApiKey.count({ where: { partnerId: id } })).toBe(1);
  });
});

describe("a county's coordinator", () => {
  it("sees and manages only their county; every route with another county's ids is a 404 and changes nothing", async () => {
    const mine = await createPartner({
      countyId: countyA.id,
      nameZh: "本县中心",
      kind: "COUNTY_CENTRE",
      services: ["LOCKER"],
      areas: [],
    });
    const theirs = await createPartner({
      countyId: countyB.id,
      nameZh: "外县中心",
      kind: "COUNTY_CENTRE",
      services: ["LOCKER"],
      areas: [],
    });
    const theirKey = await unscopedDb().partnerApiKey.findFirstOrThrow({ where: { partnerId: theirs.id } });
    // A county-B shipment that no rule fits (the partner takes lockers only): it waits.
    const waitingB = await paidAndPacked(shopB, f.b.p6.id, ownerBId);
    expect(waitingB.status).toBe("UNASSIGNED");

    // Their own county's page: their partners, not county B's, nor B's waiting shipment.
    const own = await run(countyListLoader as never, getAs(coordinatorA, C(countyA.code)), { code: countyA.code });
    expect(own.status).toBe(200);
    const data = own.data as unknown as { partners: { id: string }[]; unassigned: { id: string }[] };
    expect(data.partners.map((p) => p.id)).toContain(mine.id);
    expect(data.partners.map((p) => p.id)).not.toContain(theirs.id);
    expect(data.unassigned.map((s) => s.id)).not.toContain(waitingB.id);
    expect(
      (
        await run(countyPartnerLoader as never, getAs(coordinatorA, `${C(countyA.code)}/${mine.id}`), {
          code: countyA.code,
          partner: mine.id,
        })
      ).status,
    ).toBe(200);

    const before = await snapshot();
    const B = countyB.code;
    const A = countyA.code;
    const intents: Record<string, string | string[]>[] = [
      partnerFields({ intent: "edit" }),
      { intent: "createKey", label: "x" },
      { intent: "revokeKey", key: theirKey.id, confirm: "yes" },
      { intent: "rotateSecret" },
      { intent: "deactivate" },
      { intent: "activate" },
      { intent: "reenableWebhook" },
      { intent: "createKey", label: "" },
      { intent: "nonsense" },
    ];
    const walk: [string, () => Promise<{ status: number }>][] = [
      [
        "layout of B",
        () => run(countyLayoutLoader as never, getAs(coordinatorA, `http://localhost/county/${B}`), { code: B }),
      ],
      ["list of B", () => run(countyListLoader as never, getAs(coordinatorA, C(B)), { code: B })],
      ["unknown county", () => run(countyListLoader as never, getAs(coordinatorA, C("999999")), { code: "999999" })],
      ["create in B", () => run(countyListAction as never, postAs(coordinatorA, C(B), partnerFields()), { code: B })],
      [
        "assign B's shipment from A",
        () =>
          run(
            countyListAction as never,
            postAs(coordinatorA, C(A), { intent: "assign", shipment: waitingB.id, partner: mine.id }),
            {
              code: A,
            },
          ),
      ],
      [
        "assign B's shipment in B",
        () =>
          run(
            countyListAction as never,
            postAs(coordinatorA, C(B), { intent: "assign", shipment: waitingB.id, partner: theirs.id }),
            {
              code: B,
            },
          ),
      ],
      [
        "B's partner under A",
        () =>
          run(countyPartnerLoader as never, getAs(coordinatorA, `${C(A)}/${theirs.id}`), {
            code: A,
            partner: theirs.id,
          }),
      ],
      [
        "B's partner under B",
        () =>
          run(countyPartnerLoader as never, getAs(coordinatorA, `${C(B)}/${theirs.id}`), {
            code: B,
            partner: theirs.id,
          }),
      ],
      [
        "A's partner under B",
        () =>
          run(countyPartnerLoader as never, getAs(coordinatorA, `${C(B)}/${mine.id}`), { code: B, partner: mine.id }),
      ],
      ...intents.flatMap((fields): [string, () => Promise<{ status: number }>][] => [
        [
          `${fields.intent} on B's partner under A`,
          () =>
            run(countyPartnerAction as never, postAs(coordinatorA, `${C(A)}/${theirs.id}`, fields), {
              code: A,
              partner: theirs.id,
            }),
        ],
        [
          `${fields.intent} on B's partner under B`,
          () =>
            run(countyPartnerAction as never, postAs(coordinatorA, `${C(B)}/${theirs.id}`, fields), {
              code: B,
              partner: theirs.id,
            }),
        ],
      ]),
      [
        "revoke B's key through A's partner",
        () =>
          run(
            countyPartnerAction as never,
            postAs(coordinatorA, `${C(A)}/${mine.id}`, { intent: "revokeKey", key: theirKey.id, confirm: "yes" }),
            { code: A, partner: mine.id },
          ),
      ],
    ];
    for (const [name, call] of walk) expect((await call()).status, name).toBe(404);
    expect(await snapshot()).toBe(before);
    expect(await partnerOfApiKey("lk_nothing")).toBeNull();
  });

  it("shop staff and buyers get 403, the signed-out a sign-in redirect, on every county and platform route", async () => {
    const { id } = await createPartner({
      countyId: countyA.id,
      nameZh: "某伙伴",
      kind: "POST",
      services: ["HOME"],
      areas: [],
    });
    const A = countyA.code;
    for (const session of [ownerA, buyer, coordinatorA]) {
      const calls: [string, () => Promise<{ status: number; location?: string | null }>][] = [
        ["platform list", () => run(platformListLoader as never, getAs(session, P))],
        ["platform create", () => run(platformListAction as never, postAs(session, P, partnerFields({ county: A })))],
        ["platform page", () => run(platformPartnerLoader as never, getAs(session, `${P}/${id}`), { partner: id })],
        [
          "platform key",
          () =>
            run(platformPartnerAction as never, postAs(session, `${P}/${id}`, { intent: "createKey", label: "x" }), {
              partner: id,
            }),
        ],
      ];
      if (session !== coordinatorA)
        calls.push(
          [
            "county layout",
            () => run(countyLayoutLoader as never, getAs(session, `http://localhost/county/${A}`), { code: A }),
          ],
          ["county list", () => run(countyListLoader as never, getAs(session, C(A)), { code: A })],
          ["county create", () => run(countyListAction as never, postAs(session, C(A), partnerFields()), { code: A })],
          [
            "county page",
            () => run(countyPartnerLoader as never, getAs(session, `${C(A)}/${id}`), { code: A, partner: id }),
          ],
          [
            "county key",
            () =>
              run(countyPartnerAction as never, postAs(session, `${C(A)}/${id}`, { intent: "createKey", label: "x" }), {
                code: A,
                partner: id,
              }),
          ],
        );
      for (const [name, call] of calls) expect((await call()).status, name).toBe(403);
    }
    // A platform admin's pages are /platform: the county pages are not theirs.
    expect((await run(countyListLoader as never, getAs(admin, C(A)), { code: A })).status).toBe(404);
    const out = await run(countyListLoader as never, getAs(null, C(A)), { code: A });
    expect(out.status).toBe(302);
    expect(out.location).toMatch(/^\/login\?redirectTo=/);
    expect((await run(platformListLoader as never, getAs(null, P))).status).toBe(302);
    expect(await unscopedDb().partnerApiKey.count({ where: { partnerId: id } })).toBe(1);
  });

  it("assigns a waiting shipment by hand: it enters the partner's feed and run, and the partner is told", async () => {
    const shipment = await paidAndPacked(shopA, f.a.p6.id, ownerAId);
    // Cold chain: none of county A's partners takes it by the rules.
    expect(shipment).toMatchObject({ status: "UNASSIGNED", partnerId: null, feedXid: null });
    const list = await run(countyListLoader as never, getAs(coordinatorA, C(countyA.code)), { code: countyA.code });
    const waiting = (list.data as unknown as { unassigned: { id: string; orderNumber: string; coldChain: boolean }[] })
      .unassigned;
    expect(waiting).toContainEqual(expect.objectContaining({ id: shipment.id, coldChain: true }));

    const cold = await createPartner({
      countyId: countyA.id,
      nameZh: "冷链车队",
      kind: "EXPRESS",
      services: ["LOCKER"],
      areas: [],
      webhookUrl: "https://cold.example/hook",
    });
    const otherCounty = await createPartner({
      countyId: countyB.id,
      nameZh: "外县",
      kind: "POST",
      services: ["HOME"],
      areas: [],
    });
    await unscopedDb().logisticsPartner.update({ where: { id: cold.id }, data: { active: false } });
    const before = await snapshot();
    for (const partner of [otherCounty.id, cold.id, "nope"]) {
      const refused = await run(
        countyListAction as never,
        postAs(coordinatorA, C(countyA.code), { intent: "assign", shipment: shipment.id, partner }),
        { code: countyA.code },
      );
      expect(refused.status, partner).toBe(400);
      const error = (refused.data as unknown as { error: string }).error;
      expect((await translated(error)).zh).not.toBe(error);
    }
    expect(await snapshot()).toBe(before);

    await unscopedDb().logisticsPartner.update({ where: { id: cold.id }, data: { active: true } });
    const assigned = await run(
      countyListAction as never,
      postAs(coordinatorA, C(countyA.code), { intent: "assign", shipment: shipment.id, partner: cold.id }),
      { code: countyA.code },
    );
    expect(assigned.status).toBe(200);
    const after = await unscopedDb().shipment.findUniqueOrThrow({
      where: { shopId_id: { shopId: shipment.shopId, id: shipment.id } },
    });
    expect(after).toMatchObject({ status: "ASSIGNED", partnerId: cold.id });
    expect(after.feedXid).not.toBeNull();
    expect(after.manifestId).not.toBeNull();
    const pushes = await unscopedDb().webhookDelivery.findMany({
      where: { shipmentId: shipment.id, partnerId: cold.id },
    });
    expect(pushes.length).toBeGreaterThan(0);
    const assignedEvent = await unscopedDb().shipmentEvent.findFirst({
      where: { shipmentId: shipment.id, type: "assigned" },
    });
    expect(assignedEvent?.source).toBe("PLATFORM");

    // Twice: it is no longer waiting.
    const again = await run(
      countyListAction as never,
      postAs(coordinatorA, C(countyA.code), { intent: "assign", shipment: shipment.id, partner: cold.id }),
      { code: countyA.code },
    );
    expect(again.status).toBe(409);

    // The partner rejects it: back in the list with the reason.
    expect(await rejectShipment({ partnerId: cold.id, shipmentId: shipment.id, reason: "车满了" })).toMatchObject({
      ok: true,
    });
    const back = await run(platformListLoader as never, getAs(admin, `${P}?county=${countyA.code}`));
    expect((back.data as unknown as { unassigned: { id: string; reason: string | null }[] }).unassigned).toContainEqual(
      expect.objectContaining({ id: shipment.id, reason: "车满了" }),
    );
  });
});

const onServer = Boolean(serverUrl());
describe.skipIf(!onServer)("npm run logistics:partner", () => {
  async function cli(args: string[]) {
    const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    const proc = spawn(process.execPath, ["--import", "tsx", "scripts/logistics-partner.ts", ...args], {
      env: {
        ...process.env,
        DATABASE_URL: withDatabase(serverUrl()!, row!.db),
        LOG_LEVEL: "info",
        LANG: "en_US.UTF-8",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    proc.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => proc.on("exit", resolve));
    return { code, stdout, stderr };
  }

  it("--json prints exactly one object with a working key and secret", async () => {
    const out = await cli([
      "--county",
      countyA.code,
      "--name",
      "命令行物流",
      "--webhook-url",
      "https://cli.example/h",
      "--json",
    ]);
    expect(out.code, out.stderr).toBe(0);
    const parsed = JSON.parse(out.stdout) as Record<string, string>;
    expect(Object.keys(parsed).sort()).toEqual(["apiKey", "id", "signingSecret"]);
    expect(await partnerOfApiKey(parsed.apiKey!)).toMatchObject({ partnerId: parsed.id, countyCode: countyA.code });
    expect(await signingSecrets(parsed.id!)).toEqual([parsed.signingSecret]);
    expect(await unscopedDb().logisticsPartner.findUniqueOrThrow({ where: { id: parsed.id } })).toMatchObject({
      nameZh: "命令行物流",
      kind: "COUNTY_CENTRE",
      services: ["HOME", "PICKUP_POINT", "LOCKER"],
      webhookUrl: "https://cli.example/h",
      countyId: countyA.id,
    });
  });

  it(
    "takes --kind and --services; an unknown county or bad flags exit 2 and create nothing",
    { timeout: 180_000 },
    async () => {
      const made = await cli([
        "--county",
        countyB.code,
        "--name",
        "邮政",
        "--kind",
        "post",
        "--services",
        "home,cold_chain",
        "--json",
      ]);
      expect(made.code, made.stderr).toBe(0);
      const { id } = JSON.parse(made.stdout) as { id: string };
      expect(await unscopedDb().logisticsPartner.findUniqueOrThrow({ where: { id } })).toMatchObject({
        kind: "POST",
        services: ["HOME", "COLD_CHAIN"],
      });
      const count = await unscopedDb().logisticsPartner.count();
      const bad = await cli(["--county", "999999", "--name", "x", "--json"]);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toContain("999999");
      // Refused before anything is written; run side by side (each is a Node start-up).
      const refusals = [
        ["--name", "x"],
        ["--county", countyA.code, "--name", "x", "--services", "teleport"],
        ["--county", countyA.code, "--name", "x", "--webhook-url", "ftp://x"],
        ["--county", countyA.code, "--name", "x", "--kind", "airline"],
      ];
      const refused = await Promise.all(refusals.map((args) => cli(args)));
      refused.forEach((r, n) => {
        expect(r.code, `${refusals[n]!.join(" ")}: ${r.stderr}`).toBe(2);
        expect(r.stderr).not.toBe("");
        expect(r.stdout).toBe("");
      });
      expect(await unscopedDb().logisticsPartner.count()).toBe(count);
    },
  );
});
