// Data for tests/e2e/logistics-portal.spec.ts, made through the app's own module functions on
// the end-to-end database (run with tsx, DATABASE_URL pointing at it):
//   setup <tag> — a logistics partner of the 句容 county (白兔镇), a member of its staff who
//     signs in with a password, and a buyer's order of the jam from jurong-strawberry, paid
//     and packed by its owner, so the partner has a run today with one stop. Prints JSON.
//   status <shopOrderId> — prints the shop order's status.
import { randomBytes } from "node:crypto";
import { DEMO_OWNER } from "./demo-owner";

const { unscopedDb } = await import("~/db/index.server");
const [mode, arg] = process.argv.slice(2);
const prisma = unscopedDb();

if (mode === "status") {
  // The order is always jurong-strawberry's (below): its shop and id are the primary key.
  const jurong = await prisma.shop.findUniqueOrThrow({ where: { slug: "jurong-strawberry" }, select: { id: true } });
  const so = await prisma.shopOrder.findUniqueOrThrow({
    where: { shopId_id: { shopId: jurong.id, id: arg! } },
    select: { status: true },
  });
  console.log(JSON.stringify({ status: so.status }));
  process.exit(0);
}

const { signUp } = await import("~/modules/identity/accounts.server");
const { createPartner } = await import("~/modules/logistics/partners.server");
const { packShopOrder } = await import("~/modules/logistics/packing.server");
const { assignShipment } = await import("~/modules/logistics/shipments.server");
const { addToCart, cartIdOf } = await import("~/modules/cart/cart.cross-shop.server");
const { loadCheckoutCart, placeOrder, quote } = await import("~/modules/checkout/place-order.cross-shop.server");
const { actOnShopOrder } = await import("~/modules/orders/shop-orders.server");

const tag = arg ?? "zh";
const shop = await prisma.shop.findUniqueOrThrow({
  where: { slug: "jurong-strawberry" },
  select: { id: true, countyId: true },
});
const partner = await createPartner({
  countyId: shop.countyId,
  nameZh: `句容共配中心${tag}`,
  kind: "COUNTY_CENTRE",
  services: ["HOME", "PICKUP_POINT", "LOCKER", "COLD_CHAIN"],
  areas: [],
});
// Unique per run of this script (4 random digits met an earlier run's number once in CI).
const phone = `137${String((Date.now() + Math.floor(Math.random() * 1e3)) % 1e8).padStart(8, "0")}`;
const password = `portal-${randomBytes(6).toString("hex")}`;
const staff = await signUp({ identifier: phone, password, name: `揽收员${tag}`, locale: "zh-CN" });
if (!staff.ok) throw new Error(`staff not created: ${staff.error}`);
await prisma.partnerMember.create({ data: { partnerId: partner.id, userId: staff.userId } });

// A buyer's order, as checkout places it (cash on delivery, home delivery).
const variant = await prisma.variant.findFirstOrThrow({
  where: { shopId: shop.id, sku: "JRS-JAM-260" },
  select: { id: true },
});
const visitor = { userId: null, guestToken: randomBytes(16).toString("hex") };
const added = await addToCart({
  visitor,
  request: new Request("http://localhost/cart/add"),
  variantId: variant.id,
  quantity: 1,
});
if (!added.ok) throw new Error(`not added: ${JSON.stringify(added)}`);
const cartId = cartIdOf(visitor)!;
const groups = await loadCheckoutCart(prisma, cartId, "zh-CN");
const placed = await placeOrder({
  cartId,
  userId: null,
  lng: "zh-CN",
  input: {
    contactName: "李买家",
    contactPhone: "13912345678",
    shops: groups.map((g) => ({
      shopId: g.shopId,
      delivery: "HOME" as const,
      addressRegion: "江苏省 南京市 鼓楼区",
      addressLine: "中山北路 100 号",
      pickupPointId: undefined,
      note: undefined,
    })),
    visitors: [],
    provider: "OFFLINE",
    offlineMethod: "COD",
    checkoutKey: randomBytes(16).toString("hex"),
    expectedTotalFen: quote(groups, Object.fromEntries(groups.map((g) => [g.shopId, "HOME" as const]))).totalFen,
  },
});
if (!placed.ok) throw new Error(`not placed: ${JSON.stringify(placed)}`);
const so = await prisma.shopOrder.findFirstOrThrow({
  where: { orderId: placed.orderId, shopId: shop.id },
  select: { id: true, number: true },
});
const owner = await prisma.user.findUniqueOrThrow({ where: { phone: DEMO_OWNER.phone }, select: { id: true } });
// Cash on delivery: the cooperative accepts the order (it is paid at delivery).
const confirmed = await actOnShopOrder({
  shopId: shop.id,
  shopOrderId: so.id,
  action: "accept",
  userId: owner.id,
});
if (!confirmed.ok) throw new Error(`not confirmed: ${JSON.stringify(confirmed)}`);
const packed = await packShopOrder({
  shopId: shop.id,
  shopOrderId: so.id,
  userId: owner.id,
  parcels: { parcelCount: 1, weightGrams: 1200, coldChain: false },
});
if (!packed.ok) throw new Error(`not packed: ${JSON.stringify(packed)}`);
// Several partners may serve the county (one per journey): this one's, whatever the rules chose.
const shipment = await prisma.shipment.findFirstOrThrow({
  where: { shopId: shop.id, shopOrderId: so.id },
  select: { id: true, shopId: true, partnerId: true },
});
if (shipment.partnerId !== partner.id) await prisma.$transaction((tx) => assignShipment(tx, shipment, partner.id));

console.log(JSON.stringify({ phone, password, partnerId: partner.id, shopOrderId: so.id, orderNumber: so.number }));
process.exit(0);
