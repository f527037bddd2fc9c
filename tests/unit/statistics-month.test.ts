import { describe, expect, it } from "vitest";
import { addMonths, lastFullMonth, monthPeriod, parseMonth } from "~/modules/reports/month";
import { changePct } from "~/modules/reports/monthly-statistics";

// The monthly statistics' calendar: Shanghai months as UTC instants, the months around them,
// and the change in percent ("—", null, when the base is 0).

describe("statistics months", () => {
  it("are Shanghai calendar months", () => {
    expect(monthPeriod("2026-11")).toEqual({
      month: "2026-11",
      start: new Date("2026-10-31T16:00:00Z"),
      end: new Date("2026-11-30T16:00:00Z"),
    });
    expect(monthPeriod("2026-12").end).toEqual(new Date("2026-12-31T16:00:00Z"));
  });

  it("move across years", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-11", -12)).toBe("2025-11");
    expect(addMonths("2026-12", 1)).toBe("2027-01");
  });

  it("the last full month is the one before Shanghai's today", () => {
    expect(lastFullMonth(new Date("2026-11-30T16:30:00Z"))).toBe("2026-11"); // 12-01 00:30 in Shanghai
    expect(lastFullMonth(new Date("2026-11-30T15:30:00Z"))).toBe("2026-10");
    expect(lastFullMonth(new Date("2027-01-01T00:00:00Z"))).toBe("2026-12");
  });

  it("parses YYYY-MM only", () => {
    expect(parseMonth("2026-11")).toEqual({ ok: true, month: "2026-11" });
    expect(parseMonth("2099-01")).toEqual({ ok: true, month: "2099-01" });
    for (const bad of ["2026-13", "2026-00", "2026-1", "2026-11-01", "", null, undefined, "1999-12"])
      expect(parseMonth(bad)).toEqual({ ok: false, error: "statistics.errors.badMonth" });
  });

  it("changes are percent with one decimal, null on a zero base", () => {
    expect(changePct(150, 100)).toBe(50);
    expect(changePct(1, 3)).toBe(-66.7);
    expect(changePct(5, 0)).toBeNull();
  });
});
