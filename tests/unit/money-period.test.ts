import { describe, expect, it } from "vitest";
import { fenToDecimal } from "~/lib/money";
import { shanghaiStamp } from "~/lib/time";
import { monthPeriod, periodFromSearch } from "~/modules/ledger/period";
import { allowedActions, refundSchema, yuanAmount } from "~/modules/orders/admin-forms";

describe("statement periods in Asia/Shanghai", () => {
  it("a month runs from its first midnight to the next month's, Shanghai time", () => {
    const december = monthPeriod("2026-12");
    expect(december).toMatchObject({ from: "2026-12-01", to: "2026-12-31" });
    expect(december.start.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(december.end.toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(monthPeriod("2028-02")).toMatchObject({ from: "2028-02-01", to: "2028-02-29" });
  });

  it("reads ?month, ?from&to, and defaults to this month; refuses nonsense", () => {
    const now = new Date("2026-12-31T17:00:00Z"); // already 1 January 2027 in Shanghai
    const parse = (query: string) => periodFromSearch(new URLSearchParams(query), now);
    expect(parse("")).toMatchObject({ ok: true, period: { from: "2027-01-01", to: "2027-01-31" } });
    expect(parse("month=2026-11")).toMatchObject({ ok: true, period: { from: "2026-11-01", to: "2026-11-30" } });
    expect(parse("from=2026-12-05&to=2026-12-05")).toMatchObject({
      ok: true,
      period: { from: "2026-12-05", to: "2026-12-05" },
    });
    expect(parse("to=2026-12-20")).toMatchObject({ ok: true, period: { from: "2026-12-01", to: "2026-12-20" } });
    expect(parse("from=2026-12-20")).toMatchObject({ ok: true, period: { from: "2026-12-20", to: "2027-01-01" } });
    expect(parse("from=2026-12-31&to=2026-12-01")).toEqual({ ok: false, error: "money.errors.periodOrder" });
    expect(parse("from=2026-02-30&to=2026-03-01")).toEqual({ ok: false, error: "money.errors.periodInvalid" });
    expect(parse("month=2026-13")).toEqual({ ok: false, error: "money.errors.periodInvalid" });
    expect(parse("from=2020-01-01&to=2026-01-01")).toEqual({ ok: false, error: "money.errors.periodTooLong" });
  });

  it("writes money and times for files without float drift", () => {
    expect(fenToDecimal(34800)).toBe("348.00");
    expect(fenToDecimal(-1740)).toBe("-17.40");
    expect(fenToDecimal(5)).toBe("0.05");
    expect(fenToDecimal(0)).toBe("0.00");
    expect(shanghaiStamp("2026-11-30T16:30:00Z")).toBe("2026-12-01 00:30");
  });
});

describe("the cooperative's order forms", () => {
  it("offers only the moves the state machine allows, and money moves only for offline orders", () => {
    expect(allowedActions("AWAITING_PAYMENT", "OFFLINE")).toEqual(["confirmPayment", "cancel"]);
    expect(allowedActions("AWAITING_PAYMENT", "STRIPE")).toEqual([]);
    expect(allowedActions("PAID", "STRIPE")).toEqual(["pack"]);
    expect(allowedActions("PACKED", "OFFLINE")).toEqual(["handOver"]);
    expect(allowedActions("HANDED_OVER", "OFFLINE")).toEqual(["deliver"]);
    for (const status of ["DELIVERED", "CANCELLED", "REFUNDED"] as const)
      expect(allowedActions(status, "OFFLINE")).toEqual([]);
  });

  it("a bank transfer is confirmed paid; cash on delivery is accepted, packed from there, and cancellable until packed", () => {
    expect(allowedActions("AWAITING_PAYMENT", "OFFLINE", "BANK_TRANSFER")).toEqual(["confirmPayment", "cancel"]);
    expect(allowedActions("AWAITING_PAYMENT", "OFFLINE", "COD")).toEqual(["accept", "cancel"]);
    expect(allowedActions("ACCEPTED", "OFFLINE", "COD")).toEqual(["pack", "cancel"]);
    expect(allowedActions("PACKED", "OFFLINE", "COD")).toEqual(["handOver"]);
    expect(allowedActions("HANDED_OVER", "OFFLINE", "COD")).toEqual(["deliver"]);
    expect(allowedActions("AWAITING_PAYMENT", "STRIPE", null)).toEqual([]);
  });

  it("parses a refund typed in 元 into fen, with translated refusals", () => {
    const fen = (text: string) => yuanAmount.safeParse(text);
    expect(fen("12.5")).toMatchObject({ success: true, data: 1250 });
    expect(fen("¥１２.５０")).toMatchObject({ success: true, data: 1250 });
    expect(fen("0.01")).toMatchObject({ success: true, data: 1 });
    const error = (text: string) =>
      (fen(text) as { error: { issues: { message: string }[] } }).error.issues[0]!.message;
    expect(error("0")).toBe("orders.errors.amountZero");
    expect(error("-3")).toBe("orders.errors.amountInvalid");
    expect(error("1.005")).toBe("orders.errors.amountDecimals");
    expect(error("twelve")).toBe("orders.errors.amountInvalid");
    expect(error("")).toBe("orders.errors.amountRequired");
    expect(
      refundSchema.safeParse({ intent: "refund", amount: "1", lines: [{ lineId: "x", quantity: -1 }] }).success,
    ).toBe(false);
  });
});
