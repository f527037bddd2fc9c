import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { formatFen } from "~/lib/money";
import { feeFen } from "~/modules/ledger/fee";
import { shopBalance } from "~/modules/ledger/statement.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { action as payoutAction } from "~/routes/platform.payouts.$shop";
import { addMember, createUser, postAs, run, shopIdOf, signedIn, type Session } from "../support/auth";
import { startApp, stopApp } from "../support/remix-app";
import { SHOP_A, twoShops, type Fixture } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// Issue #11: one sign convention. After an order paid offline the cooperative owes the platform
// its fee; the owner's money page, the statement CSV and the platform's list and shop page all
// say so in the same words with a positive amount. The platform records the cooperative's
// payment (money in the other direction), which settles it — never more than owed, once per form.

let f: Fixture;
let shopA: string;
let owner: Session;
let ownerId: string;
let admin: Session;
let app: (request: Request) => Promise<Response>;

const page = async (session: Session, path: string) => {
  const response = await app(new Request(`http://localhost${path}`, { headers: { Cookie: session.cookie } }));
  expect(response.status).toBe(200);
  return response.text();
};
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  const o = await createUser({ name: "李店主" });
  ownerId = o.id;
  await addMember(shopA, o.id, "OWNER");
  owner = await signedIn(o.id);
  admin = await signedIn((await createUser({ isPlatformAdmin: true })).id);
  app = await startApp();
}, 120_000);

afterAll(async () => {
  await stopApp();
});

describe("who owes whom, in both directions", () => {
  const payUrl = `http://localhost/platform/payouts/${SHOP_A}`;
  const receive = (fields: Record<string, string>) =>
    run(payoutAction as never, postAs(admin, payUrl, { intent: "shopPayment", ...fields }), { shop: SHOP_A });
  const entries = () => unscopedDb().ledgerEntry.findMany({ where: { shopId: shopA }, orderBy: { id: "asc" } });

  it("shows the fee owed the same way everywhere, and recording the cooperative's payment settles it", async () => {
    // A bank-transfer order the cooperative was paid for itself: it owes the platform the fee.
    const order = await placeTestOrder({ lines: [{ variantId: f.a.p6.id, quantity: 1 }] });
    const so = order.shopOrders.get(shopA)!;
    expect(
      await actOnShopOrder({ shopId: shopA, shopOrderId: so.id, action: "confirmPayment", userId: ownerId }),
    ).toEqual({ ok: true });
    const fee = feeFen(so.totalFen, 500);
    expect(await shopBalance(shopA)).toBe(-fee);
    const owes = `合作社应付平台 ${formatFen(fee, "zh-CN")}`;
    const period = `from=${today()}&to=${today()}`;

    const moneyPage = await page(owner, `/admin/${SHOP_A}/money?${period}`);
    expect(moneyPage).toContain(owes);
    const list = await page(admin, "/platform/payouts");
    expect(list).toContain(owes);
    const shopPage = await page(admin, `/platform/payouts/${SHOP_A}?${period}`);
    expect(shopPage).toContain(owes);
    const csv = await page(owner, `/admin/${SHOP_A}/money/statement.csv?${period}`);
    expect(csv).toContain(`期末余额（元）,${(fee / 100).toFixed(2)},${owes}`);
    const english = await app(
      new Request(`http://localhost/platform/payouts/${SHOP_A}?${period}&lng=en`, {
        headers: { Cookie: admin.cookie },
      }),
    );
    expect(await english.text()).toContain(`The cooperative owes the platform ${formatFen(fee, "en")}`);

    // Bad amounts change nothing: more than owed, zero, not a number, no reference, a stale form.
    const before = JSON.stringify(await entries());
    const tooMuch = await receive({ amount: ((fee + 1) / 100).toFixed(2), reference: "ICBC-1", key: "ab".repeat(12) });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.data).toMatchObject({ formError: "money.errors.paymentTooHigh" });
    expect((await receive({ amount: "0", reference: "ICBC-1", key: "ab".repeat(12) })).status).toBe(400);
    expect((await receive({ amount: "abc", reference: "ICBC-1", key: "ab".repeat(12) })).status).toBe(400);
    const noRef = await receive({ amount: "1", reference: " ", key: "ab".repeat(12) });
    expect(noRef.status).toBe(400);
    expect(noRef.data).toMatchObject({ fieldErrors: { reference: ["money.errors.referenceRequired"] } });
    expect((await receive({ amount: "1", reference: "ICBC-1", key: "nope" })).status).toBe(400);
    expect(JSON.stringify(await entries())).toBe(before);

    // Recorded once even when submitted twice at the same moment.
    const fields = { amount: (fee / 100).toFixed(2), reference: "ICBC-20261205", key: "cd".repeat(12) };
    const [first, second] = await Promise.all([receive(fields), receive(fields)]);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(first.location).toBe(`/platform/payouts/${SHOP_A}?done=shopPayment`);
    const payments = (await entries()).filter((e) => e.kind === "SHOP_PAYMENT");
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amountFen: fee, memo: "ICBC-20261205" });
    expect(await shopBalance(shopA)).toBe(0);
    const events = await unscopedDb().securityEvent.findMany({
      where: { type: "payout_recorded", subjectShopId: shopA },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ direction: "FROM_SHOP", amountFen: fee, reference: "ICBC-20261205" });

    // Settled: every place says so; nothing more can be received.
    expect(await page(owner, `/admin/${SHOP_A}/money?${period}`)).toContain("已结清");
    expect(await page(admin, "/platform/payouts")).toContain("已结清");
    expect(await page(admin, `/platform/payouts/${SHOP_A}?${period}`)).toContain("已结清");
    expect(await page(owner, `/admin/${SHOP_A}/money/statement.csv?${period}`)).toContain(`期末余额（元）,0.00,已结清`);
    const again = await receive({ amount: "1", reference: "ICBC-2", key: "ef".repeat(12) });
    expect(again.data).toMatchObject({ formError: "money.errors.nothingOwedByShop" });
  });
});
