import { parseWithZod } from "@conform-to/zod";
import type { SubmissionResult } from "@conform-to/react";
import { db } from "~/db/index.server";
import { platformOrigin } from "~/lib/origins.server";
import { requestSource } from "~/modules/security/request-source.server";
import {
  areaChoices,
  assignablePartners,
  createPartnerKey,
  listPartners,
  partnerExists,
  partnerPage,
  reenableWebhook,
  registerPartner,
  revokePartnerKey,
  rotatePartnerSecret,
  setPartnerActive,
  updatePartner,
  type PartnerScope,
} from "./partner-admin.server";
import { apiKeySchema, assignSchema, newPartnerSchema, partnerSchema } from "./partner-schema";
import { assignUnassigned, listUnassigned } from "./unassigned.cross-shop.server";

// What the partner pages of /platform/logistics and /county/:code/logistics load and do, shared
// by both trees so that the routes stay "guard → call → render". The caller's scope decides
// what exists: outside it, a 404.

const notFound = () => new Response(null, { status: 404, statusText: "Not Found" });

/** Push endpoints must be https when the platform itself is served over https. */
export function webhookHttpsOnly(): boolean {
  return platformOrigin().startsWith("https:");
}

export async function loadPartnerList(scope: PartnerScope, countyCode: string | null) {
  const counties = await db().county.findMany({
    where: scope.countyId ? { id: scope.countyId } : {},
    orderBy: { code: "asc" },
    select: { id: true, code: true, nameZh: true, nameEn: true },
  });
  const selected = countyCode ? (counties.find((c) => c.code === countyCode) ?? null) : null;
  const countyId = scope.countyId ?? selected?.id ?? null;
  const [partners, unassigned, assignable, areas] = await Promise.all([
    listPartners(scope, { countyId }),
    listUnassigned(scope, { countyId }),
    assignablePartners(countyId ? [countyId] : counties.map((c) => c.id)),
    countyId ? areaChoices(countyId) : Promise.resolve(null),
  ]);
  return {
    counties: counties.map(({ code, nameZh, nameEn }) => ({ code, nameZh, nameEn })),
    countyIds: Object.fromEntries(counties.map((c) => [c.id, c.code])),
    selectedCounty: scope.countyId ? (counties[0]?.code ?? null) : (selected?.code ?? null),
    partners,
    unassigned: unassigned.map(({ countyId: id, ...u }) => ({
      ...u,
      county: counties.find((c) => c.id === id)?.code ?? "",
    })),
    assignable: assignable.map(({ countyId: id, ...p }) => ({
      ...p,
      county: counties.find((c) => c.id === id)?.code ?? "",
    })),
    areas,
    httpsOnly: webhookHttpsOnly(),
  };
}

export type PartnerListData = Awaited<ReturnType<typeof loadPartnerList>>;

export type PartnerListActionData =
  | { intent: "create"; result: SubmissionResult<string[]> }
  | { intent: "created"; partnerId: string; apiKey: string; signingSecret: string; name: string }
  | { intent: "assign"; shipment: string; error: string }
  | { intent: "assigned"; shipment: string };

interface ActionInput {
  request: Request;
  formData: FormData;
  scope: PartnerScope;
  userId: string;
  /** The coordinator's county code: the create form's county. */
  countyCode?: string;
}

export async function partnerListAction({
  request,
  formData,
  scope,
  userId,
  countyCode,
}: ActionInput): Promise<{ status: number; body: PartnerListActionData }> {
  const intent = String(formData.get("intent") ?? "");
  const actor = { userId, ...requestSource(request) };
  if (intent === "assign") {
    const parsed = assignSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success)
      return { status: 400, body: { intent: "assign", shipment: "", error: parsed.error.issues[0]!.message } };
    const outcome = await assignUnassigned({
      scope,
      shipmentId: parsed.data.shipment,
      partnerId: parsed.data.partner,
      userId,
    });
    if (!outcome.ok) {
      if (outcome.error === "notFound") throw notFound();
      return {
        status: outcome.error === "partner" ? 400 : 409,
        body: {
          intent: "assign",
          shipment: parsed.data.shipment,
          error: `logisticsPartners.errors.assign.${outcome.error}`,
        },
      };
    }
    return { status: 200, body: { intent: "assigned", shipment: parsed.data.shipment } };
  }
  // intent "create"
  if (countyCode) formData.set("county", countyCode);
  const submission = parseWithZod(formData, { schema: newPartnerSchema({ httpsOnly: webhookHttpsOnly() }) });
  if (submission.status !== "success") return { status: 400, body: { intent: "create", result: submission.reply() } };
  const { county, ...input } = submission.value;
  const created = await registerPartner(scope, county, input, actor);
  if (!created.ok)
    return {
      status: 400,
      body: { intent: "create", result: submission.reply({ fieldErrors: { [created.field]: [created.error] } }) },
    };
  return {
    status: 200,
    body: {
      intent: "created",
      partnerId: created.id,
      apiKey: created.apiKey,
      signingSecret: created.signingSecret,
      name: input.nameZh,
    },
  };
}

export async function loadPartnerPage(scope: PartnerScope, partnerId: string | undefined) {
  const partner = partnerId ? await partnerPage(scope, partnerId) : null;
  if (!partner) throw notFound();
  const { countyId, ...shown } = partner;
  return { partner: shown, areas: await areaChoices(countyId), httpsOnly: webhookHttpsOnly() };
}

export type PartnerPageData = Awaited<ReturnType<typeof loadPartnerPage>>;

export type PartnerPageActionData =
  | { intent: "edit"; result: SubmissionResult<string[]> }
  | { intent: "createKey"; result: SubmissionResult<string[]> }
  | { intent: "keyCreated"; key: string; prefix: string }
  | { intent: "secretRotated"; secret: string; overlapHours: number }
  | { intent: "done"; done: "edit" | "revokeKey" | "deactivate" | "activate" | "reenableWebhook" }
  | { intent: "error"; error: string };

export async function partnerPageAction({
  request,
  formData,
  scope,
  userId,
  partnerId,
}: ActionInput & { partnerId: string | undefined }): Promise<{ status: number; body: PartnerPageActionData }> {
  if (!partnerId) throw notFound();
  const intent = String(formData.get("intent") ?? "");
  const actor = { userId, ...requestSource(request) };
  const found = <T>(value: T | null): T => {
    if (value === null) throw notFound();
    return value;
  };
  // Outside the scope nothing is checked or said, whatever was sent: a 404.
  found(await partnerExists(scope, partnerId));
  switch (intent) {
    case "edit": {
      const submission = parseWithZod(formData, { schema: partnerSchema({ httpsOnly: webhookHttpsOnly() }) });
      if (submission.status !== "success") return { status: 400, body: { intent: "edit", result: submission.reply() } };
      const saved = found(await updatePartner(scope, partnerId, submission.value));
      if (!saved.ok)
        return {
          status: 400,
          body: { intent: "edit", result: submission.reply({ fieldErrors: { [saved.field]: [saved.error] } }) },
        };
      return { status: 200, body: { intent: "done", done: "edit" } };
    }
    case "createKey": {
      const submission = parseWithZod(formData, { schema: apiKeySchema });
      if (submission.status !== "success")
        return { status: 400, body: { intent: "createKey", result: submission.reply() } };
      const created = found(await createPartnerKey(scope, partnerId, submission.value.label, actor));
      return { status: 200, body: { intent: "keyCreated", key: created.key, prefix: created.prefix } };
    }
    case "revokeKey": {
      if (formData.get("confirm") !== "yes")
        return { status: 400, body: { intent: "error", error: "logisticsPartners.errors.confirm" } };
      found(await revokePartnerKey(scope, partnerId, String(formData.get("key") ?? "").slice(0, 60), actor));
      return { status: 200, body: { intent: "done", done: "revokeKey" } };
    }
    case "rotateSecret": {
      const rotated = found(await rotatePartnerSecret(scope, partnerId, actor));
      return { status: 200, body: { intent: "secretRotated", ...rotated } };
    }
    case "deactivate":
    case "activate":
      found(await setPartnerActive(scope, partnerId, intent === "activate"));
      return { status: 200, body: { intent: "done", done: intent } };
    case "reenableWebhook":
      found(await reenableWebhook(scope, partnerId));
      return { status: 200, body: { intent: "done", done: "reenableWebhook" } };
    default:
      return { status: 400, body: { intent: "error", error: "logisticsPartners.errors.intent" } };
  }
}
