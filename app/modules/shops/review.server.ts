import { db } from "~/db/index.server";
import type { Prisma, ShopStatus } from "~/generated/prisma/client";

// A shop's way to the storefront: DRAFT → (owner submits) SUBMITTED → (platform approves)
// LIVE, or back to DRAFT with a note; a LIVE shop can be suspended and restored.
// Every change names the status it starts from, so two clicks cannot both apply.

export interface SubmissionChecklist {
  creditCode: boolean;
  logo: boolean;
  productWithPhoto: boolean;
}

export function isChecklistComplete(checklist: SubmissionChecklist): boolean {
  return checklist.creditCode && checklist.logo && checklist.productWithPhoto;
}

/** What the platform needs before it reviews a shop. */
export async function submissionChecklist(shopId: string): Promise<SubmissionChecklist> {
  const [shop, productsWithPhoto] = await Promise.all([
    db().shop.findUniqueOrThrow({ where: { id: shopId }, select: { creditCode: true, logoImageId: true } }),
    db().product.count({ where: { shopId, status: "ACTIVE", images: { some: { shopId } } } }),
  ]);
  return {
    creditCode: Boolean(shop.creditCode),
    logo: Boolean(shop.logoImageId),
    productWithPhoto: productsWithPhoto > 0,
  };
}

/** The owner's overview: where the shop stands and what submission still needs. */
export async function getShopReviewState(shopId: string) {
  const [shop, checklist] = await Promise.all([
    db().shop.findUniqueOrThrow({
      where: { id: shopId },
      select: { status: true, reviewNote: true, submittedAt: true, approvedAt: true },
    }),
    submissionChecklist(shopId),
  ]);
  return { ...shop, checklist, ready: isChecklistComplete(checklist) };
}

export type ReviewResult = { ok: true } | { ok: false; error: string };

/** DRAFT → SUBMITTED, when the checklist is complete. */
export async function submitForReview(shopId: string): Promise<ReviewResult> {
  if (!isChecklistComplete(await submissionChecklist(shopId)))
    return { ok: false, error: "shopsetup.submit.incomplete" };
  const changed = await db().shop.updateMany({
    where: { id: shopId, status: "DRAFT" },
    data: { status: "SUBMITTED", submittedAt: new Date() },
  });
  return changed.count === 1 ? { ok: true } : { ok: false, error: "shopsetup.submit.notDraft" };
}

async function move(shopId: string, from: ShopStatus, data: Prisma.ShopUpdateManyMutationInput): Promise<ReviewResult> {
  const changed = await db().shop.updateMany({ where: { id: shopId, status: from }, data });
  return changed.count === 1 ? { ok: true } : { ok: false, error: "platform.errors.statusChanged" };
}

/** SUBMITTED → LIVE: the shop appears on the storefront. */
export function approveShop(shopId: string): Promise<ReviewResult> {
  return move(shopId, "SUBMITTED", { status: "LIVE", approvedAt: new Date(), reviewNote: null });
}

/** SUBMITTED → DRAFT with the reason, which the owner sees on the overview. */
export function sendBackShop(shopId: string, note: string): Promise<ReviewResult> {
  return move(shopId, "SUBMITTED", { status: "DRAFT", reviewNote: note });
}

/** LIVE → SUSPENDED: the storefront is hidden, the admin stays open to the cooperative. */
export function suspendShop(shopId: string): Promise<ReviewResult> {
  return move(shopId, "LIVE", { status: "SUSPENDED" });
}

export function unsuspendShop(shopId: string): Promise<ReviewResult> {
  return move(shopId, "SUSPENDED", { status: "LIVE" });
}
