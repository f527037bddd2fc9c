import { describe, expect, it } from "vitest";
import { normalizeContactPhone, shopProfileSchema } from "~/modules/shops/profile-schema";
import { creditCodeCheckChar } from "~/modules/tenancy/credit-code";
import { slugifyLatin, truncateSlug } from "~/modules/shops/slug-rules";
import { pinyinSlug, slugFromName } from "~/modules/shops/slug.server";

describe("shop slugs", () => {
  it("spells a Chinese name in pinyin, two syllables to a word, without the legal form", () => {
    expect(pinyinSlug("阳山桃源")).toBe("yangshan-taoyuan");
    expect(pinyinSlug("马山杨梅专业合作社")).toBe("mashan-yangmei");
    expect(pinyinSlug("绿色家园农民专业合作社")).toBe("lvse-jiayuan");
    expect(pinyinSlug("阳山 ABC 农场")).toBe("yangshan-abc-nongchang");
    expect(pinyinSlug("合作社")).toBe("hezuo-she");
  });

  it("prefers the English name, and always gives something usable", () => {
    expect(slugFromName({ zh: "阳山桃源", en: "Yangshan Peach Co-op" })).toBe("yangshan-peach-co-op");
    expect(slugFromName({ zh: "阳山桃源", en: "!!" })).toBe("yangshan-taoyuan");
    expect(slugFromName({ zh: "！！", en: "" })).toBe("shop");
    expect(slugifyLatin("Café Rosé  Farm")).toBe("cafe-rose-farm");
  });

  it("cuts long slugs at a hyphen, within 60 characters", () => {
    const long = slugifyLatin("The Very Long Name Of A Cooperative Of Peach Growers By The Lake Tai In Wuxi");
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).not.toMatch(/-$/);
    expect(truncateSlug("abc-def-ghi", 9)).toBe("abc-def");
  });
});

describe("shop profile fields", () => {
  it("accepts mainland mobiles and landlines with area codes, normalised", () => {
    expect(normalizeContactPhone("+86 138-0013-8000")).toBe("13800138000");
    expect(normalizeContactPhone("0510-87654321")).toBe("0510-87654321");
    expect(normalizeContactPhone("(0510) 87654321")).toBe("051087654321");
    expect(normalizeContactPhone("12345")).toBeNull();
    expect(normalizeContactPhone("1380013800")).toBeNull();
  });

  it("drops blank certification rows and upper-cases the credit code", () => {
    const code = `93320206MA1XKQ000${creditCodeCheckChar("93320206MA1XKQ000")}`;
    const parsed = shopProfileSchema.parse({
      nameZh: "阳山桃源",
      countyId: "c1",
      villageZh: "桃源村",
      contactName: "王",
      contactPhone: "13800138000",
      creditCode: ` ${code.toLowerCase()} `,
      certifications: [{}, { kind: "ORGANIC", nameZh: "有机" }, undefined],
    });
    expect(parsed.certifications).toEqual([{ kind: "ORGANIC", nameZh: "有机" }]);
    expect(parsed.creditCode).toBe(code);
  });
});
