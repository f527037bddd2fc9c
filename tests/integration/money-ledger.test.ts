import { beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { fenToDecimal, formatFen } from "~/lib/money";
import { getFixedT } from "~/lib/i18n.server";
import { balanceText } from "~/modules/ledger/balance-words";
import { feeFen } from "~/modules/ledger/fee";
import { recordBankPayout } from "~/modules/ledger/payouts.server";
import { periodOf } from "~/modules/ledger/period";
import { ledgerSummary, shopBalance, statement } from "~/modules/ledger/statement.server";
import { markOrderPaid } from "~/modules/orders/settle.cross-shop.server";
import { actOnShopOrder } from "~/modules/orders/shop-orders.server";
import { refundShopOrder } from "~/modules/payments/refunds.server";
import { loader as moneyLoader, action as moneyAction } from "~/routes/admin.$shop.money._index";
import { loader as csvLoader } from "~/routes/admin.$shop.money.statement[.csv]";
import { action as payoutAction, loader as payoutLoader } from "~/routes/platform.payouts.$shop";
import { loader as balancesLoader } from "~/routes/platform.payouts._index";
import {
  addMember,
  createUser,
  enableTwoFactor,
  getAs,
  postAs,
  run,
  shopIdOf,
  signedIn,
  type Session,
} from "../support/auth";
import { SHOP_A, SHOP_B, twoShops, type Fixture } from "./cart-fixtures";
import { placeTestOrder } from "./orders-fixtures";

// Each cooperative's money: the balance is the sum of its ledger entries, a statement cuts
// them by a period in Asia/Shanghai (opening + entries = closing), the CSV opens in Excel
// with its Chinese intact, and a payout recorded by the platform lowers the balance —
// never beyond what is owed, and once per form.

let f: Fixture;
let shopA: string;
let shopB: string;
let ownerA: Session;
let ownerAId: string;
let staffA: Session;
let admin: Session;
let adminId: string;

/** A minimal RFC 4180 reader (quotes, doubled quotes, CRLF), enough to read our own files back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

beforeAll(async () => {
  f = await twoShops();
  shopA = await shopIdOf(SHOP_A);
  shopB = await shopIdOf(SHOP_B);
  const owner = await createUser({ name: "王店主" });
  ownerAId = owner.id;
  await addMember(shopA, owner.id, "OWNER");
  await enableTwoFactor(owner.id); // changing the payout account asks for two-step verification
  ownerA = await signedIn(owner.id);
  const staff = await createUser();
  await addMember(shopA, staff.id, "STAFF");
  staffA = await signedIn(staff.id);
  const platform = await createUser({ name: "平台管理员", isPlatformAdmin: true });
  adminId = platform.id;
  admin = await signedIn(platform.id);
});

describe("a cooperative's statement", () => {
  it("cuts the ledger by Shanghai days: opening + entries = closing, and the CSV keeps its columns and Chinese title", async () => {
    const at = (iso: string) => new Date(iso);
    // November: an offline sale (the cooperative holds the cash, so it owes the fee).
    const nov = await placeTestOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 1 }],
      now: at("2026-11-20T02:00:00Z"),
    });
    const novSo = nov.shopOrders.get(shopA)!;
    expect(
      await actOnShopOrder({
        shopId: shopA,
        shopOrderId: novSo.id,
        action: "confirmPayment",
        userId: ownerAId,
        now: at("2026-11-20T03:00:00Z"),
      }),
    ).toEqual({ ok: true });
    // Paid online at 00:30 on 1 December in Shanghai (still 30 November in UTC).
    const online = await placeTestOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 2 }],
      provider: "STRIPE",
      now: at("2026-11-30T16:00:00Z"),
    });
    const onlineSo = online.shopOrders.get(shopA)!;
    expect(
      await markOrderPaid({
        orderId: online.orderId,
        paymentId: online.paymentId,
        providerPaymentRef: "pi_test_statement",
        now: at("2026-11-30T16:30:00Z"),
      }),
    ).toBe("paid");
    // December: an offline sale, partly refunded, then a payout.
    const dec = await placeTestOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 1 }],
      now: at("2026-12-03T02:00:00Z"),
    });
    const decSo = dec.shopOrders.get(shopA)!;
    await actOnShopOrder({
      shopId: shopA,
      shopOrderId: decSo.id,
      action: "confirmPayment",
      userId: ownerAId,
      now: at("2026-12-03T04:00:00Z"),
    });
    const refund = await refundShopOrder({
      shopId: shopA,
      shopOrderId: decSo.id,
      amountFen: 5_000,
      lines: [],
      reason: null,
      userId: ownerAId,
      now: at("2026-12-06T02:00:00Z"),
    });
    expect(refund).toMatchObject({ ok: true, status: "SUCCEEDED" });
    const payout = await recordBankPayout({
      shopId: shopA,
      amountFen: 10_000,
      reference: "=ICBC-20261210",
      period: periodOf("2026-11-01", "2026-12-09"),
      userId: adminId,
      key: "a1b2c3d4e5f60718293a4b5c",
      now: at("2026-12-10T02:00:00Z"),
    });
    expect(payout).toMatchObject({ ok: true, already: false });
    // January (Shanghai): 31 December 16:30 UTC is already New Year's Day there.
    const jan = await placeTestOrder({
      lines: [{ variantId: f.a.p6.id, quantity: 1 }],
      now: at("2026-12-31T15:00:00Z"),
    });
    await actOnShopOrder({
      shopId: shopA,
      shopOrderId: jan.shopOrders.get(shopA)!.id,
      action: "confirmPayment",
      userId: ownerAId,
      now: at("2026-12-31T16:30:00Z"),
    });

    const december = await statement(shopA, periodOf("2026-12-01", "2026-12-31"));
    const novFee = feeFen(novSo.totalFen, 500);
    expect(december.openingFen).toBe(-novFee);
    expect(december.entries[0]).toMatchObject({
      kind: "SALE",
      amountFen: onlineSo.totalFen,
      reference: onlineSo.number,
      at: "2026-11-30T16:30:00.000Z",
    });
    expect(december.totals).toEqual({
      SALE: onlineSo.totalFen + decSo.totalFen,
      PLATFORM_FEE: -feeFen(onlineSo.totalFen, 500) - feeFen(decSo.totalFen, 500),
      REFUND: -5_000,
      FEE_REFUND: feeFen(5_000, 500),
      OFFLINE_COLLECTED: -decSo.totalFen + 5_000,
      COD_HELD_BY_PARTNER: 0,
      COD_REMITTED: 0,
      PAYOUT: -10_000,
      SHOP_PAYMENT: 0,
    });
    const sum = december.entries.reduce((total, e) => total + e.amountFen, 0);
    expect(december.closingFen).toBe(december.openingFen + sum);
    expect(december.entries.at(-1)!.balanceFen).toBe(december.closingFen);
    expect(december.closingFen).toBe(await shopBalance(shopA, periodOf("2027-01-01", "2027-01-01").start));
    // The next period opens where this one closed; the January sale is in January only.
    const january = await statement(shopA, periodOf("2027-01-01", "2027-01-31"));
    expect(january.openingFen).toBe(december.closingFen);
    expect(january.entries.map((e) => e.kind)).toEqual(["SALE", "PLATFORM_FEE", "OFFLINE_COLLECTED"]);
    const november = await statement(shopA, periodOf("2026-11-01", "2026-11-30"));
    expect(november.entries.map((e) => e.reference)).not.toContain(onlineSo.number);
    expect((await ledgerSummary(shopA)).balanceFen).toBe(january.closingFen);

    // The CSV download: the owner's, as Excel wants it.
    const url = `http://localhost/admin/${SHOP_A}/money/statement.csv?from=2026-12-01&to=2026-12-31`;
    const response = (await csvLoader({
      request: getAs(ownerA, url),
      params: { shop: SHOP_A },
      context: {},
    } as never)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="statement-${SHOP_A}-2026-12-01-2026-12-31.csv"`,
    );
    // Every export is in the security log: who, which shop, which period.
    const exported = await unscopedDb().securityEvent.findMany({ where: { type: "export", subjectShopId: shopA } });
    expect(exported).toHaveLength(1);
    expect(exported[0]!.detail).toMatchObject({ report: "settlement-statement", from: "2026-12-01", to: "2026-12-31" });
    expect(exported[0]!.userId).toBeTruthy();
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1));
    expect(rows[0]).toEqual(["cart-alpha 合作社 结算对账单"]);
    expect(rows[1]).toEqual(["期间", "2026-12-01", "2026-12-31"]);
    expect(rows[2]).toEqual(["期初余额（元）", fenToDecimal(novFee), `合作社应付平台 ${formatFen(novFee, "zh-CN")}`]);
    const header = rows.findIndex((r) => r[0] === "时间（北京时间）");
    expect(rows[header]).toEqual(["时间（北京时间）", "类型", "订单号 / 备注", "金额（元）", "余额（元）"]);
    const entryRows = rows.slice(header + 1, header + 1 + december.entries.length);
    expect(entryRows[0]).toEqual([
      "2026-12-01 00:30",
      "销售",
      onlineSo.number,
      fenToDecimal(onlineSo.totalFen),
      fenToDecimal(-novFee + onlineSo.totalFen),
    ]);
    expect(entryRows.every((r) => r.length === 5)).toBe(true);
    // A typed reference that looks like a formula stays text in Excel.
    expect(entryRows.find((r) => r[1] === "打款")).toEqual([
      "2026-12-10 10:00",
      "打款",
      "'=ICBC-20261210",
      "-100.00",
      expect.any(String),
    ]);
    expect(rows.find((r) => r[0] === "合计：销售（元）")).toEqual([
      "合计：销售（元）",
      fenToDecimal(december.totals.SALE),
    ]);
    expect(rows.at(-1)).toEqual([
      "期末余额（元）",
      fenToDecimal(Math.abs(december.closingFen)),
      balanceText((await getFixedT(getAs(ownerA, url))).t, "zh-CN", december.closingFen),
    ]);

    const english = (await csvLoader({
      request: getAs(ownerA, `${url}&lng=en`),
      params: { shop: SHOP_A },
      context: {},
    } as never)) as Response;
    const englishRows = parseCsv((await english.text()).replace(/^\uFEFF/, ""));
    expect(englishRows[0]).toEqual(["cart-alpha Cooperative settlement statement"]);

    // Only the owner; a nonsense period is a translated 400.
    expect((await run(csvLoader as never, getAs(staffA, url), { shop: SHOP_A })).status).toBe(403);
    const bad = (await csvLoader({
      request: getAs(ownerA, `http://localhost/admin/${SHOP_A}/money/statement.csv?from=2026-12-31&to=2026-12-01`),
      params: { shop: SHOP_A },
      context: {},
    } as never)) as Response;
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("开始日期不能晚于结束日期。");

    // The owner's money page shows the same figures.
    const moneyPage = await run(
      moneyLoader as never,
      getAs(ownerA, `http://localhost/admin/${SHOP_A}/money?month=2026-12`),
      { shop: SHOP_A },
    );
    expect(moneyPage.status).toBe(200);
    expect(moneyPage.data).toMatchObject({
      balanceFen: january.closingFen,
      statement: {
        from: "2026-12-01",
        to: "2026-12-31",
        openingFen: -novFee,
        closingFen: december.closingFen,
        entryCount: december.entries.length,
      },
    });
    expect(
      (await run(moneyLoader as never, getAs(staffA, `http://localhost/admin/${SHOP_A}/money`), { shop: SHOP_A }))
        .status,
    ).toBe(403);
  });

  it("the owner records the bank account payouts go to; staff cannot", async () => {
    const url = `http://localhost/admin/${SHOP_A}/money`;
    expect(
      (
        await run(moneyAction as never, postAs(staffA, url, { intent: "payoutAccount", payoutAccount: "x" }), {
          shop: SHOP_A,
        })
      ).status,
    ).toBe(403);
    const saved = await run(
      moneyAction as never,
      postAs(ownerA, url, { intent: "payoutAccount", payoutAccount: "阳山桃源合作社 农业银行 6228 4800 0000 0000" }),
      { shop: SHOP_A },
    );
    expect(saved.status).toBe(302);
    expect((await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopA } })).payoutAccount).toBe(
      "阳山桃源合作社 农业银行 6228 4800 0000 0000",
    );
    const tooLong = await run(
      moneyAction as never,
      postAs(ownerA, url, { intent: "payoutAccount", payoutAccount: "x".repeat(121) }),
      { shop: SHOP_A },
    );
    expect(tooLong.status).toBe(400);
  });
});

describe("payouts by the platform", () => {
  const url = `http://localhost/platform/payouts/${SHOP_B}`;
  const pay = (session: Session, fields: Record<string, string>) =>
    run(payoutAction as never, postAs(session, url, fields), { shop: SHOP_B });
  const payouts = () => unscopedDb().payout.findMany({ where: { shopId: shopB } });

  it("lowers the balance by the amount paid, once per form, never beyond what is owed", async () => {
    // Offline only: the cooperative holds the money and owes the fee; nothing to pay out.
    const offline = await placeTestOrder({ lines: [{ variantId: f.b.p6.id, quantity: 1 }] });
    await actOnShopOrder({
      shopId: shopB,
      shopOrderId: offline.shopOrders.get(shopB)!.id,
      action: "confirmPayment",
      userId: adminId,
    });
    const owes = await shopBalance(shopB);
    expect(owes).toBeLessThan(0);
    const fields = (key: string, amount: string, reference = "ICBC-20261130-0001") => ({
      intent: "bank",
      amount,
      reference,
      from: "2026-11-01",
      to: "2026-11-30",
      key,
    });
    const nothing = await pay(admin, fields("00112233445566778899aabb", "10"));
    expect(nothing.status).toBe(409);
    expect(nothing.data).toMatchObject({ formError: "money.errors.nothingOwed" });

    // Paid online: the platform holds the money and owes the cooperative.
    const online = await placeTestOrder({ lines: [{ variantId: f.b.p12.id, quantity: 1 }], provider: "STRIPE" });
    await markOrderPaid({ orderId: online.orderId, paymentId: online.paymentId, providerPaymentRef: "pi_test_payout" });
    const owed = await shopBalance(shopB);
    expect(owed).toBe(owes + online.totalFen - feeFen(online.totalFen, 500));

    const list = await run(balancesLoader as never, getAs(admin, "http://localhost/platform/payouts"), {});
    expect(
      (list.data as unknown as { shops: { slug: string; balanceFen: number }[] }).shops.find((s) => s.slug === SHOP_B),
    ).toMatchObject({ balanceFen: owed });
    const shown = await run(payoutLoader as never, getAs(admin, url), { shop: SHOP_B });
    expect(shown.status).toBe(200);
    expect(shown.data).toMatchObject({ balanceFen: owed, stripe: { configured: false } });

    // Refused: more than owed, no reference, a bad amount, a stale form; a shop owner is not the platform.
    const before = JSON.stringify(await payouts());
    const tooMuch = await pay(admin, fields("aabbccddeeff001122334455", fenToDecimal(owed + 1)));
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.data).toMatchObject({ formError: "money.errors.amountTooHigh" });
    const noReference = await pay(admin, fields("aabbccddeeff001122334455", "10", " "));
    expect(noReference.status).toBe(400);
    expect((noReference.data as unknown as { fieldErrors: Record<string, string[]> }).fieldErrors.reference).toEqual([
      "money.errors.referenceRequired",
    ]);
    expect((await pay(admin, fields("aabbccddeeff001122334455", "1.001"))).status).toBe(400);
    expect((await pay(admin, fields("not-a-key", "10"))).status).toBe(400);
    expect((await pay(ownerA, fields("aabbccddeeff001122334455", "10"))).status).toBe(403);
    expect(JSON.stringify(await payouts())).toBe(before);
    expect(await shopBalance(shopB)).toBe(owed);

    const key = "99887766554433221100ffee";
    const paid = await pay(admin, fields(key, "100.50"));
    expect(paid.status).toBe(302);
    expect(paid.location).toBe(`/platform/payouts/${SHOP_B}?done=bank`);
    expect(await shopBalance(shopB)).toBe(owed - 10_050);
    const [row] = await payouts();
    expect(row).toMatchObject({
      amountFen: 10_050,
      method: "BANK_TRANSFER",
      reference: "ICBC-20261130-0001",
      createdById: adminId,
    });
    expect(row!.periodStart.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    expect(row!.periodEnd.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    const entry = await unscopedDb().ledgerEntry.findFirstOrThrow({ where: { payoutId: row!.id } });
    expect(entry).toMatchObject({ shopId: shopB, kind: "PAYOUT", amountFen: -10_050, memo: "ICBC-20261130-0001" });

    // The same form again (a double press, a retry): still one payout.
    expect((await pay(admin, fields(key, "100.50"))).status).toBe(302);
    expect(await payouts()).toHaveLength(1);
    expect(await shopBalance(shopB)).toBe(owed - 10_050);

    // The rest settles it to zero; after that nothing is owed.
    expect((await pay(admin, fields("0123456789abcdef01234567", fenToDecimal(owed - 10_050)))).status).toBe(302);
    expect(await shopBalance(shopB)).toBe(0);
    expect((await pay(admin, fields("76543210fedcba9876543210", "1"))).data).toMatchObject({
      formError: "money.errors.nothingOwed",
    });

    const history = await run(payoutLoader as never, getAs(admin, url), { shop: SHOP_B });
    expect(
      (history.data as unknown as { payouts: { amountFen: number; by: string }[] }).payouts.map((p) => [
        p.amountFen,
        p.by,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [10_050, "平台管理员"],
        [owed - 10_050, "平台管理员"],
      ]),
    );
  });

  it("links a Stripe account only with a valid id; without Stripe keys, transfers are refused", async () => {
    expect((await pay(admin, { intent: "stripeAccount", stripeAccountId: "not-an-account" })).status).toBe(400);
    expect((await pay(admin, { intent: "stripeAccount", stripeAccountId: "acct_1TestCooperative" })).status).toBe(302);
    expect((await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopB } })).stripeAccountId).toBe(
      "acct_1TestCooperative",
    );
    const refused = await pay(admin, { intent: "stripe" });
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ formError: "money.errors.stripeNotConfigured" });
    expect((await pay(admin, { intent: "stripeAccount", stripeAccountId: "" })).status).toBe(302);
    expect((await unscopedDb().shop.findUniqueOrThrow({ where: { id: shopB } })).stripeAccountId).toBeNull();
  });
});
