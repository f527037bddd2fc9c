import { describe, expect, it } from "vitest";
import { monthName } from "~/components/market-card-grid";
import { dateLocale } from "~/lib/per-language";

// The month names are a table (no ICU data in the browser); Intl, in the locale dates are written
// in, is the reference.
describe("month names", () => {
  it("are Intl's long month names in both languages", () => {
    for (const lng of ["zh-CN", "en"]) {
      const intl = new Intl.DateTimeFormat(dateLocale(lng), { month: "long", timeZone: "UTC" });
      for (let month = 1; month <= 12; month++)
        expect(monthName(month, lng)).toBe(intl.format(new Date(Date.UTC(2000, month - 1, 15))));
    }
  });
});
