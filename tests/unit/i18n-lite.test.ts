import fs from "node:fs";
import path from "node:path";
import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nOptions } from "~/lib/i18n";
import { createLiteI18n } from "~/lib/i18n-lite";
import enBuyer from "~/locales/en/buyer";
import en from "~/locales/en/index";
import enStaff from "~/locales/en/staff";
import zhBuyer from "~/locales/zh-CN/buyer";
import zhCN from "~/locales/zh-CN/index";
import zhStaff from "~/locales/zh-CN/staff";

// The browser renders with ~/lib/i18n-lite, the server with i18next: hydration needs every
// text to come out the same. Checked for every message of both languages, with every
// placeholder filled and plurals at 0, 1, 2 and 5.

type Messages = { [key: string]: string | Messages };

function leaves(messages: Messages, prefix = ""): [string, string][] {
  return Object.entries(messages).flatMap(([k, v]) =>
    typeof v === "string" ? [[prefix + k, v] as [string, string]] : leaves(v, `${prefix}${k}.`),
  );
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

async function both(lng: "zh-CN" | "en", messages: Messages) {
  const i18next = createInstance();
  await i18next.init({ ...i18nOptions, lng, resources: { [lng]: { translation: messages } } });
  return { i18next, lite: createLiteI18n(lng, messages) };
}

describe("i18n-lite matches i18next", () => {
  for (const [lng, messages] of [
    ["zh-CN", zhCN],
    ["en", en],
  ] as const) {
    it(`renders every ${lng} message as i18next does`, async () => {
      const { i18next, lite } = await both(lng, messages as Messages);
      const all = leaves(messages as Messages);
      let compared = 0;
      for (const [key, text] of all) {
        const names = [...text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1]!);
        const values = Object.fromEntries(names.map((name, i) => [name, name === "count" ? 3 : `‹${name}${i}›`]));
        const base = key.replace(PLURAL, "");
        if (base !== key) {
          for (const count of [0, 1, 2, 5]) {
            expect(lite.t(base, { ...values, count }), `${base} count=${count}`).toBe(
              i18next.t(base, { ...values, count }),
            );
            compared++;
          }
        } else {
          expect(lite.t(key, values), key).toBe(i18next.t(key, values));
          // A placeholder left out stays as it is written, in both.
          if (names.length) expect(lite.t(key), key).toBe(i18next.t(key));
          compared++;
        }
        expect(lite.exists(base) || lite.exists(key)).toBe(true);
      }
      expect(compared).toBeGreaterThan(300);
    });
  }

  it("answers unknown keys, defaultValue and null values as i18next does", async () => {
    const { i18next, lite } = await both("en", en as Messages);
    for (const [key, options] of [
      ["no.such.key", undefined],
      ["no.such.key", { defaultValue: "fallback" }],
      ["cart.link", { count: null }],
      ["cart.link", {}],
    ] as const) {
      expect(lite.t(key, options as never), key).toBe(i18next.t(key, options as never));
    }
    expect(lite.exists("cart.link")).toBe(i18next.exists("cart.link"));
    expect(lite.exists("no.such.key")).toBe(false);
  });
});

describe("the browser's message bundles", () => {
  it("buyer + staff are exactly index, with no area in both", () => {
    for (const [buyer, staff, index] of [
      [zhBuyer, zhStaff, zhCN],
      [enBuyer, enStaff, en],
    ] as const) {
      const overlap = Object.keys(buyer).filter((k) => k in staff);
      expect(overlap).toEqual([]);
      expect({ ...buyer, ...staff }).toEqual(index);
    }
  });

  it("buyers' pages use only texts of the buyer bundle", () => {
    // Route and component files a buyer's page renders in the browser; staff pages load the
    // staff bundle as well (app/lib/i18n-client.ts).
    const staffOnly =
      /^(admin|platform|county|invite|logistics)[.$_]|^(admin-layout|batch-form|brand-header-preview|shop-profile-form|trace-label)\.tsx$|^(account_\.two-factor|login_\.two-factor|reauthenticate)\.tsx$/;
    const files = [
      "app/root.tsx",
      ...fs.readdirSync("app/routes").map((f) => path.join("app/routes", f)),
      ...fs
        .readdirSync("app/components")
        .filter((f) => f.endsWith(".tsx"))
        .map((f) => path.join("app/components", f)),
    ].filter((file) => !staffOnly.test(path.basename(file)));
    const missing: string[] = [];
    for (const file of files) {
      // Loaders and actions translate on the server, with every message.
      const source = fs
        .readFileSync(file, "utf8")
        .replace(/export async function (loader|action)\b[\s\S]*?\n\}\n/g, "");
      for (const match of source.matchAll(/\bt\(\s*[`"]([a-zA-Z]+)\./g)) {
        if (!(match[1]! in zhBuyer)) missing.push(`${file}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
