import { describe, expect, it } from "vitest";
import { formatFen } from "~/lib/money";
import { shanghaiLocalToUtc, shanghaiMonth, shanghaiStamp, shanghaiToday } from "~/lib/time";
import { scheduleSlots } from "~/modules/tenants/import.server";

describe("money and time", () => {
  it("formats fen as yuan without float drift", () => {
    expect(formatFen(16800, "zh-CN")).toBe("¥168.00");
    expect(formatFen(1, "en")).toBe("¥0.01");
    expect(formatFen(123456789, "en")).toBe("¥1,234,567.89");
  });

  it("reads wall-clock times as Asia/Shanghai", () => {
    expect(shanghaiLocalToUtc("2027-03-06T09:00").toISOString()).toBe("2027-03-06T01:00:00.000Z");
    // 23:30 UTC on 31 Dec is already New Year's Day in Shanghai.
    const lateUtc = new Date("2026-12-31T23:30:00Z");
    expect(shanghaiToday(lateUtc)).toBe("2027-01-01");
    expect(shanghaiMonth(lateUtc)).toBe(1);
  });

  it("expands a weekly schedule from tomorrow on", () => {
    // Friday 2026-11-27, 10:00 in Shanghai.
    const now = new Date("2026-11-27T02:00:00Z");
    const slots = scheduleSlots({ weekdays: [6, 0], times: ["09:00", "14:00"], weeks: 2, capacity: 20 }, now);
    expect(slots).toHaveLength(8);
    expect(slots[0]!.startsAt.toISOString()).toBe("2026-11-28T01:00:00.000Z"); // Sat 09:00 Shanghai
    expect(slots[1]!.startsAt.toISOString()).toBe("2026-11-28T06:00:00.000Z"); // Sat 14:00
    expect(slots.every((s) => s.capacity === 20)).toBe(true);
  });
});

describe("shanghaiStamp (the report files' times)", () => {
  it("is the Shanghai wall-clock minute, across days, months, years and the minute's edges", () => {
    const reference = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
    expect(shanghaiStamp(new Date("2026-12-31T15:59:59.999Z"))).toBe("2026-12-31 23:59");
    expect(shanghaiStamp(new Date("2026-12-31T16:00:00.000Z"))).toBe("2027-01-01 00:00");
    expect(shanghaiStamp("2024-02-28T16:30:00Z")).toBe("2024-02-29 00:30");
    expect(shanghaiStamp(new Date("1969-12-31T15:59:00Z"))).toBe("1969-12-31 23:59");
    let seed = 12_345;
    for (let i = 0; i < 5_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const d = new Date(Date.UTC(2000, 0, 1) + (seed / 2_147_483_648) * 40 * 365 * 86_400_000);
      expect(shanghaiStamp(d)).toBe(reference(d));
    }
  });
});

