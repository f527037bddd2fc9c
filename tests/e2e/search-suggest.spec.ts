import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./support/test";
import { translator, type Lng } from "./support/i18n";

// Issue #13 §1: suggestions as the buyer types, with the keyboard and a screen reader. The
// marketplace's search box is a WAI-ARIA combobox once the page runs its JavaScript: the buyer
// types 螃蟹 (no product says it: a synonym finds the 大闸蟹), hears how many suggestions there
// are, moves through them with the arrow keys and opens the chosen product with Enter.

const VIEWPORTS = [
  { name: "phone", width: 360, height: 780 },
  { name: "desktop", width: 1280, height: 800 },
] as const;

for (const lng of ["zh-CN", "en"] as Lng[]) {
  const t = translator(lng);
  for (const viewport of VIEWPORTS) {
    test.describe(`${lng}, ${viewport.width}×${viewport.height}`, () => {
      test.use({ locale: lng, viewport: { width: viewport.width, height: viewport.height } });

      test("type 螃蟹, pick a suggestion with the keyboard, land on the product", async ({ page }) => {
        await page.goto("/");
        const box = page.getByRole("combobox", { name: t("market.search.label") });
        await expect(box).toHaveAttribute("aria-expanded", "false"); // hydrated: the combobox is live
        await box.pressSequentially("螃蟹");

        const list = page.getByRole("listbox", { name: t("market.search.suggest.label") });
        await expect(list).toBeVisible();
        await expect(box).toHaveAttribute("aria-expanded", "true");
        await expect(box).toHaveAttribute("aria-controls", (await list.getAttribute("id"))!);
        await expect(list.getByRole("group", { name: t("market.search.suggest.products") })).toBeVisible();
        const options = list.getByRole("option");
        const count = await options.count();
        expect(count).toBeGreaterThan(1);
        await expect(page.getByTestId("search-suggest-status")).toHaveText(t("market.search.suggest.count", { count }));

        // Down twice, up once: the first option is the active one, the focus stays in the box.
        await box.press("ArrowDown");
        await box.press("ArrowDown");
        await box.press("ArrowUp");
        const first = options.first();
        await expect(first).toHaveAttribute("aria-selected", "true");
        await expect(box).toHaveAttribute("aria-activedescendant", (await first.getAttribute("id"))!);
        await expect(box).toBeFocused();

        const axe = await new AxeBuilder({ page }).include("[data-testid=search-form]").analyze();
        const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

        const title = (await first.locator("span").first().textContent())!;
        await box.press("Enter");
        await expect(page).toHaveURL(/\/s\/[a-z-]+\/p\/[a-z0-9-]+$/);
        await expect(page.getByTestId("product-title")).toHaveText(title);
      });

      test("Escape closes the suggestions; Enter without a pick searches the words typed", async ({ page }) => {
        await page.goto("/");
        const box = page.getByRole("combobox", { name: t("market.search.label") });
        await expect(box).toHaveAttribute("aria-expanded", "false");
        await box.pressSequentially("dazha");
        await expect(page.getByRole("listbox")).toBeVisible();
        await box.press("Escape");
        await expect(box).toHaveAttribute("aria-expanded", "false");
        await expect(page.getByRole("listbox")).toBeHidden();
        await expect(box).toHaveValue("dazha");
        await box.press("Enter");
        await expect(page).toHaveURL(/\/search\?q=dazha$/);
        await expect(page.getByTestId("search-heading")).toBeVisible();
      });
    });
  }
}
