import { parseWithZod } from "@conform-to/zod";
import { data, redirect } from "@remix-run/node";
import { lookupOrder } from "./buyer-orders.cross-shop.server";
import { lookupSchema } from "./lookup-schema";

// The answer to the "find an order" form, shared by /orders and /orders/:number: the order's
// page (with the cookie that lets this browser see it), or the same refusal whether the
// number is unknown or the mobile is wrong, or 429 after too many failures from here.

const PRIVATE = { "Cache-Control": "private, no-store", Vary: "Cookie" };

export async function answerLookup(request: Request, formData: FormData) {
  const submission = parseWithZod(formData, { schema: lookupSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400, headers: PRIVATE });
  const found = await lookupOrder({ request, number: submission.value.number, phone: submission.value.phone });
  if (found.ok) return redirect(`/orders/${found.number}`, { headers: { ...PRIVATE, "Set-Cookie": found.setCookie } });
  if (found.error === "checkout.lookup.tooMany") {
    const minutes = Math.ceil(found.retryAfterSeconds / 60);
    return data(
      { result: submission.reply({ formErrors: [`${found.error}|${JSON.stringify({ minutes })}`] }) },
      { status: 429, headers: { ...PRIVATE, "Retry-After": String(found.retryAfterSeconds) } },
    );
  }
  return data({ result: submission.reply({ formErrors: [found.error] }) }, { status: 400, headers: PRIVATE });
}
