import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { addMember, createUser, getAs, postAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { samplePack, writePacks } from "../support/packs";
import {
  adminRouteFiles,
  paramNames,
  platformRouteFiles,
  ROUTES_DIR,
  urlFor,
  type RouteModule,
} from "../support/route-walk";
import { placeTestOrder } from "./orders-fixtures";

// Walks EVERY admin route module (app/routes/admin.$shop*.tsx) and every platform route,
// and proves that a member of shop A gets 403/404 — never data, never a change — for shop B.
// Both shops have orders (placed through the real checkout), money in their ledgers and a refund.

let ownerA: Session;
let staffA: Session;
let coordinatorA: Session;
const B: Record<string, string> = {};
const A: Record<string, string> = {};

async function snapshot(shopId: string) {
  const prisma = unscopedDb();
  const [shop, products, variants, batches, images, slots, members, invitations, orders] = await Promise.all([
    prisma.shop.findUnique({ where: { id: shopId } }),
    prisma.product.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.variant.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.batch.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.image.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.experienceSlot.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.membership.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    prisma.invitation.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    Promise.all([
      prisma.shopOrder.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      prisma.shopOrderLine.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      prisma.shopOrderEvent.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      prisma.reservation.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      prisma.refund.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      prisma.ledgerEntry.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
      prisma.payout.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    ]),
  ]);
  return JSON.stringify({ shop, products, variants, batches, images, slots, members, invitations, orders });
}

beforeAll(async () => {
  const packA = samplePack("iso-alpha");
  const packB = samplePack("iso-beta", "320507");
  // Different slugs, so a slug or an id of B's never matches one of A's by accident.
  packB.products.forEach((p) => (p.slug = `beta-${p.slug}`));
  packB.batches[0]!.products = ["beta-peach-box"];
  const results = await syncTenants(writePacks([packA, packB]), { now: new Date("2026-11-27T00:00:00Z") });
  expect(results.every((r) => r.ok)).toBe(true);

  for (const [target, slug] of [
    [A, "iso-alpha"],
    [B, "iso-beta"],
  ] as const) {
    const shopId = await shopIdOf(slug);
    const product = await db().product.findFirstOrThrow({ where: { shopId, kind: "EXPERIENCE" } });
    const batch = await db().batch.findFirstOrThrow({ where: { shopId } });
    const variant = await db().variant.findFirstOrThrow({ where: { shopId, productId: product.id } });
    const slot = await db().experienceSlot.findFirstOrThrow({ where: { shopId, productId: product.id } });
    const image = await db().image.findFirstOrThrow({ where: { shopId, productId: product.id } });
    Object.assign(target, {
      shopId,
      shop: slug,
      product: product.id,
      batch: batch.id,
      variant: variant.id,
      slot: slot.id,
      image: image.id,
    });
  }
  const owner = await createUser();
  await addMember(A.shopId!, owner.id, "OWNER");
  ownerA = await signedIn(owner.id);
  const staff = await createUser();
  await addMember(A.shopId!, staff.id, "STAFF");
  staffA = await signedIn(staff.id);
  const coordinator = await createUser();
  const { countyId } = await unscopedDb().shop.findUniqueOrThrow({ where: { id: A.shopId! } });
  await unscopedDb().countyCoordinator.create({ data: { countyId, userId: coordinator.id } });
  coordinatorA = await signedIn(coordinator.id);

  // One order across both shops; B confirms its part and refunds some of it, so B has
  // events, ledger entries and a refund that a cross-shop write would show up in.
  const peach = async (slug: string) =>
    (await unscopedDb().variant.findFirstOrThrow({ where: { sku: `${slug}-P6` } })).id;
  const placed = await placeTestOrder({
    lines: [
      { variantId: await peach("iso-alpha"), quantity: 1 },
      { variantId: await peach("iso-beta"), quantity: 2 },
    ],
  });
  const [soA, soB] = [placed.shopOrders.get(A.shopId!)!, placed.shopOrders.get(B.shopId!)!];
  A.order = soA.number;
  B.order = soB.number;
  const ownerB = await createUser();
  await addMember(B.shopId!, ownerB.id, "OWNER");
  expect(
    await actOnShopOrder({ shopId: B.shopId!, shopOrderId: soB.id, action: "confirmPayment", userId: ownerB.id }),
  ).toEqual({ ok: true });
  expect(
    await refundShopOrder({
      shopId: B.shopId!,
      shopOrderId: soB.id,
      amountFen: 100,
      lines: [],
      reason: null,
      userId: ownerB.id,
    }),
  ).toMatchObject({ ok: true });
});

describe("cross-shop isolation of the admin", () => {
  it("finds the admin routes to walk", () => {
    expect(adminRouteFiles.length).toBeGreaterThanOrEqual(14);
    expect(platformRouteFiles.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of adminRouteFiles) {
    it(`${file}: shop A's owner gets 404 for shop B, by loader and by action, and B is unchanged`, async () => {
      const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
      const params = Object.fromEntries(paramNames(file).map((name) => [name, B[name] ?? B.product!]));
      const before = await snapshot(B.shopId!);
      if (mod.loader) {
        const result = await run(mod.loader as never, getAs(ownerA, urlFor(file, params)), params);
        expect([403, 404], `${file} loader answered ${result.status}`).toContain(result.status);
      }
      if (mod.action) {
        for (const intent of [
          "",
          "update",
          "create",
          "delete",
          "archive",
          "adjust",
          "upload",
          "submit",
          "invite",
          "remove",
          "reorder",
          "approve",
        ]) {
          const fields: Record<string, string> = intent ? { intent, _action: intent } : {};
          const result = await run(mod.action as never, postAs(ownerA, urlFor(file, params), fields), params);
          expect([403, 404], `${file} action (${intent || "no intent"}) answered ${result.status}`).toContain(
            result.status,
          );
        }
      }
      expect(await snapshot(B.shopId!)).toBe(before);
    });

    const ownParams = paramNames(file).filter((n) => n !== "shop");
    if (ownParams.length) {
      it(`${file}: B's ${ownParams.join("/")} ids under A's own URL are 404`, async () => {
        const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
        const params = { ...Object.fromEntries(ownParams.map((name) => [name, B[name] ?? B.product!])), shop: A.shop! };
        const before = await snapshot(B.shopId!);
        if (mod.loader) {
          const result = await run(mod.loader as never, getAs(ownerA, urlFor(file, params)), params);
          expect([403, 404], `${file} loader answered ${result.status}`).toContain(result.status);
        }
        if (mod.action) {
          const result = await run(
            mod.action as never,
            postAs(ownerA, urlFor(file, params), { intent: "delete" }),
            params,
          );
          expect([400, 403, 404], `${file} action answered ${result.status}`).toContain(result.status);
        }
        expect(await snapshot(B.shopId!)).toBe(before);
      });
    }
  }

  for (const file of platformRouteFiles) {
    it(`${file}: a shop owner who is not a platform admin gets 403`, async () => {
      const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
      const params = { shop: B.shop!, county: "x", id: B.shopId! };
      if (mod.loader)
        expect((await run(mod.loader as never, getAs(staffA, urlFor(file, params)), params)).status).toBe(403);
      if (mod.action) {
        const before = await snapshot(B.shopId!);
        const result = await run(
          mod.action as never,
          postAs(ownerA, urlFor(file, params), { intent: "approve", shopId: B.shopId! }),
          params,
        );
        expect(result.status).toBe(403);
        expect(await snapshot(B.shopId!)).toBe(before);
      }
    });
  }

  it("a county coordinator sees the orders but cannot act on them; staff cannot refund nor see the money", async () => {
    const order = `http://localhost/admin/${A.shop}/orders/${A.order}`;
    const orderRoute = (await import(
      /* @vite-ignore */ path.join(ROUTES_DIR, "admin.$shop.orders.$order.tsx")
    )) as Required<RouteModule>;
    const listRoute = (await import(
      /* @vite-ignore */ path.join(ROUTES_DIR, "admin.$shop.orders._index.tsx")
    )) as Required<RouteModule>;
    const moneyRoute = (await import(
      /* @vite-ignore */ path.join(ROUTES_DIR, "admin.$shop.money._index.tsx")
    )) as Required<RouteModule>;
    const csvRoute = (await import(
      /* @vite-ignore */ path.join(ROUTES_DIR, "admin.$shop.money.statement[.csv].ts")
    )) as Required<RouteModule>;
    const params = { shop: A.shop!, order: A.order! };
    const before = await snapshot(A.shopId!);

    expect(
      (await run(listRoute.loader as never, getAs(coordinatorA, `http://localhost/admin/${A.shop}/orders`), params))
        .status,
    ).toBe(200);
    expect((await run(orderRoute.loader as never, getAs(coordinatorA, order), params)).status).toBe(200);
    for (const intent of ["confirmPayment", "pack", "handOver", "deliver", "cancel", "refund"]) {
      const result = await run(
        orderRoute.action as never,
        postAs(coordinatorA, order, { intent, amount: "1" }),
        params,
      );
      expect(result.status, `coordinator ${intent}`).toBe(403);
    }
    expect(
      (await run(moneyRoute.loader as never, getAs(coordinatorA, `http://localhost/admin/${A.shop}/money`), params))
        .status,
    ).toBe(403);

    expect(
      (await run(orderRoute.action as never, postAs(staffA, order, { intent: "refund", amount: "1" }), params)).status,
    ).toBe(403);
    expect(
      (await run(moneyRoute.loader as never, getAs(staffA, `http://localhost/admin/${A.shop}/money`), params)).status,
    ).toBe(403);
    expect(
      (
        await run(
          moneyRoute.action as never,
          postAs(staffA, `http://localhost/admin/${A.shop}/money`, { intent: "payoutAccount", payoutAccount: "x" }),
          params,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await run(
          csvRoute.loader as never,
          getAs(staffA, `http://localhost/admin/${A.shop}/money/statement.csv`),
          params,
        )
      ).status,
    ).toBe(403);
    expect(await snapshot(A.shopId!)).toBe(before);
  });

  // Routes that other systems POST to, not browsers: they carry no CSRF token by nature and
  // have a check of their own instead, which the walk proves they apply (status when it fails).
  const OWN_CHECK: Record<string, { reason: string; status: number }> = {
    "webhooks.stripe.ts": {
      reason: "Stripe's signature over the raw body is its check (tests/integration/payments-webhook.test.ts)",
      status: 400,
    },
    "api.logistics.v1.$.ts": { reason: "an unknown partner API path is not found, key or not", status: 404 },
    "orders.$number_.review.$line.tsx": {
      reason:
        "only the order's buyer gets the photo form read: anyone else is 404 first; the buyer without the token is 403 (tests/integration/reviews.test.ts)",
      status: 404,
    },
  };
  // The partner API (/api/logistics/v1): its bearer key is its check; cookies grant nothing there.
  // A POST to one of its GET endpoints is 405 before anything is read.
  const API_KEY_CHECK = {
    reason: "the partner API key (tests/integration/logistics-api.test.ts, logistics-portal.test.ts)",
    status: 401,
    or: 405,
  };

  it("every action in the app refuses a POST without the CSRF token, and changes nothing", async () => {
    const allRouteFiles = fs
      .readdirSync(ROUTES_DIR)
      .filter((f) => /\.tsx?$/.test(f))
      .sort();
    let checked = 0;
    for (const file of allRouteFiles) {
      const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
      if (!mod.action) continue;
      const params = Object.fromEntries(paramNames(file).map((name) => [name, A[name] ?? A.product!]));
      const before = await snapshot(A.shopId!);
      const result = await run(
        mod.action as never,
        postAs(ownerA, urlFor(file, params), { intent: "delete" }, { csrf: false }),
        params,
      );
      const own: { reason: string; status: number; or?: number } | undefined =
        OWN_CHECK[file] ?? (file.startsWith("api.logistics.v1.") ? API_KEY_CHECK : undefined);
      const status = own?.or !== undefined && result.status === own.or ? own.status : result.status;
      expect(
        status,
        own
          ? `${file} accepted a POST that failed its own check (${own.reason})`
          : `${file} accepted a POST without a CSRF token`,
      ).toBe(own?.status ?? 403);
      expect(await snapshot(A.shopId!), file).toBe(before);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    for (const file of Object.keys(OWN_CHECK))
      expect(allRouteFiles, `exempt route ${file} no longer exists`).toContain(file);
  });

  it("a signed-out visitor is sent to /login by every admin loader", async () => {
    for (const file of adminRouteFiles) {
      const mod = (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
      if (!mod.loader) continue;
      const params = Object.fromEntries(paramNames(file).map((name) => [name, A[name] ?? A.product!]));
      const result = await run(mod.loader as never, getAs(null, urlFor(file, params)), params);
      expect(result.status, file).toBe(302);
      expect(result.location, file).toMatch(/^\/login\?redirectTo=/);
    }
  });
});
