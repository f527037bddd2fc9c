import { db } from "~/db/index.server";
import type { PartnerKind, PartnerService } from "./partner-kinds";
import { createApiKey, createSigningSecret } from "./partner-keys.server";

// Registering a county's logistics partners (the platform admin, a coordinator for their
// county, or the operator's CLI). Partners are platform-owned reference data of a county.

export { PARTNER_KINDS, PARTNER_SERVICES, type PartnerKind, type PartnerService } from "./partner-kinds";

export interface NewPartner {
  countyId: string;
  nameZh: string;
  nameEn?: string | null;
  kind: PartnerKind;
  services: PartnerService[];
  /** Township or village names (zh) it serves; empty: all of the county. */
  areas: string[];
  webhookUrl?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
}

/**
 * Creates a partner with its first API key, and a signing secret when it takes pushes.
 * The key and the secret are returned once, to be shown once.
 */
export async function createPartner(input: NewPartner): Promise<{ id: string; apiKey: string; signingSecret: string }> {
  const partner = await db().logisticsPartner.create({
    data: {
      countyId: input.countyId,
      nameZh: input.nameZh,
      nameEn: input.nameEn ?? null,
      kind: input.kind,
      services: input.services,
      areas: input.areas,
      webhookUrl: input.webhookUrl ?? null,
      contactName: input.contactName ?? null,
      contactPhone: input.contactPhone ?? null,
    },
    select: { id: true },
  });
  const { key } = await createApiKey(partner.id, "first");
  const signingSecret = await createSigningSecret(partner.id);
  return { id: partner.id, apiKey: key, signingSecret };
}
