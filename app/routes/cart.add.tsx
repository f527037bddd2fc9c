import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { safeRedirect } from "~/lib/safe-redirect";
import { addToCart, visitorOf } from "~/modules/cart/cart.cross-shop.server";
import { requireCsrf } from "~/modules/identity/csrf.server";
import { readForm } from "~/lib/request-bounds.server";
import { decimalNumber } from "~/lib/decimal";

// POST only. The product page's form posts here: with JavaScript through a fetcher, which
// gets { ok, count } or field errors and stays on the page; without it as a plain form,
// which is sent back to the product page with ?added=1 or ?cartError=….

const schema = z.object({
  variantId: z.string().min(1).max(64),
  /** The product page's shop; a page rendered before it was sent has none. */
  shopId: z.string().max(64).optional(),
  slotId: z.string().max(64).optional(),
  quantity: decimalNumber(z.number().int().min(1).max(999)),
  redirectTo: z.string().optional(),
  /** Only the hydrated form sends it. */
  js: z.literal("1").optional(),
  /** 立即购买: straight to checkout with this line only (issue #13). */
  intent: z.enum(["add", "buyNow"]).optional(),
});

export async function loader() {
  return redirect("/cart");
}

function backTo(redirectTo: string | undefined, params: Record<string, string>) {
  const url = new URL(safeRedirect(redirectTo, "/cart"), "http://x");
  for (const key of ["added", "cartError", "available", "inCart", "unit"]) url.searchParams.delete(key);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return `${url.pathname}${url.search}`;
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  await requireCsrf(request, formData);
  const parsed = schema.safeParse(Object.fromEntries(formData));
  const buyNow = formData.get("intent") === "buyNow";
  // Buy now always navigates (a fetcher follows the redirect), so it answers as for a plain form.
  const viaJs = formData.get("js") === "1" && !buyNow;
  const redirectTo = typeof formData.get("redirectTo") === "string" ? String(formData.get("redirectTo")) : undefined;
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0] === "quantity" ? "quantity" : "variantId";
    const error = field === "quantity" ? "cart.errors.quantityInvalid" : "cart.errors.invalid";
    if (viaJs) return data({ ok: false as const, errors: { [field]: [error] } }, { status: 400 });
    return redirect(backTo(redirectTo, { cartError: error.replace("cart.errors.", "") }));
  }
  const { shopId, variantId, slotId, quantity } = parsed.data;
  const result = await addToCart({
    visitor: await visitorOf(request),
    request,
    shopId: shopId || null,
    variantId,
    slotId: slotId || null,
    quantity,
    buyNow,
  });
  if (!result.ok) {
    if (viaJs) return data({ ok: false as const, errors: { [result.field]: [result.error] } }, { status: 400 });
    const [key, values] = result.error.split("|");
    const extra = values ? (JSON.parse(values) as Record<string, string | number>) : {};
    return redirect(
      backTo(redirectTo, {
        cartError: key!.replace("cart.errors.", ""),
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])),
      }),
    );
  }
  const headers = new Headers({ "Cache-Control": "private, no-store" });
  if (result.setCookie) headers.append("Set-Cookie", result.setCookie);
  if (buyNow) return redirect("/checkout?buy=now", { headers });
  if (viaJs) return data({ ok: true as const, count: result.count }, { headers });
  return redirect(backTo(redirectTo, { added: "1" }), { headers });
}
