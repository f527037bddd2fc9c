import { describe, expect, it } from "vitest";
import en from "~/locales/en/index";
import zhCN from "~/locales/zh-CN/index";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

// English is complete: every Chinese key has an English text, and the other way round.
describe("translations", () => {
  it("zh-CN and en have the same keys", () => {
    const zh = keys(zhCN).map((k) => k.replace(/_(one|other)$/, "")).sort();
    const english = keys(en).map((k) => k.replace(/_(one|other)$/, "")).sort();
    expect([...new Set(english)]).toEqual([...new Set(zh)]);
  });

  it("has no empty texts", () => {
    for (const messages of [zhCN, en]) {
      const empty = keys(messages).filter((k) => {
        const value = k.split(".").reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], messages);
        return typeof value === "string" && value.trim() === "";
      });
      expect(empty).toEqual([]);
    }
  });
});
