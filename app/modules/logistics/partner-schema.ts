import { z } from "zod";
import { PARTNER_KINDS, PARTNER_SERVICES, type PartnerService } from "./partner-kinds";

// The partner forms of /platform/logistics and /county/:code/logistics, checked the same way in
// the browser and on the server. Errors are i18n keys (logisticsPartners.errors.*).

const E = "logisticsPartners.errors";
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `${E}.tooLong|${JSON.stringify({ max })}`)
    .optional()
    .transform((v) => (v ? v : null));

/** A push endpoint: an http(s) URL without credentials; https only when the platform itself is on https. */
export function webhookUrlSchema(httpsOnly: boolean) {
  return z
    .string()
    .trim()
    .max(500, `${E}.tooLong|${JSON.stringify({ max: 500 })}`)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      let url: URL;
      try {
        url = new URL(v);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${E}.webhookUrl` });
        return z.NEVER;
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${E}.webhookUrl` });
        return z.NEVER;
      }
      if (url.username || url.password) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${E}.webhookCredentials` });
        return z.NEVER;
      }
      if (httpsOnly && url.protocol !== "https:") {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${E}.webhookHttps` });
        return z.NEVER;
      }
      return url.toString();
    });
}

export function partnerSchema({ httpsOnly }: { httpsOnly: boolean }) {
  return z.object({
    nameZh: z
      .string({ required_error: `${E}.nameZhRequired` })
      .trim()
      .min(1, `${E}.nameZhRequired`)
      .max(60, `${E}.tooLong|${JSON.stringify({ max: 60 })}`),
    nameEn: optionalText(100),
    kind: z.enum(PARTNER_KINDS, { errorMap: () => ({ message: `${E}.kind` }) }),
    services: z
      .array(z.string(), { errorMap: () => ({ message: `${E}.services` }) })
      .min(1, `${E}.services`)
      .max(PARTNER_SERVICES.length, `${E}.services`)
      .refine((list) => list.every((s) => (PARTNER_SERVICES as readonly string[]).includes(s)), `${E}.services`)
      .transform((list) => [...new Set(list)] as PartnerService[]),
    /** "all" (the whole county) or "some" (the places ticked in `areas`). */
    coverage: z.enum(["all", "some"], { errorMap: () => ({ message: `${E}.coverage` }) }),
    areas: z.array(z.string().trim().min(1).max(60)).max(200, `${E}.areas`).default([]),
    contactName: optionalText(40),
    contactPhone: optionalText(30),
    webhookUrl: webhookUrlSchema(httpsOnly),
  });
}

/** The same form with the county chosen (the platform admin's create form). */
export function newPartnerSchema(options: { httpsOnly: boolean }) {
  return partnerSchema(options).extend({
    county: z
      .string({ required_error: `${E}.county` })
      .trim()
      .regex(/^\d{6}$/, `${E}.county`),
  });
}

export type PartnerFormInput = z.output<ReturnType<typeof partnerSchema>>;

export const apiKeySchema = z.object({
  label: z
    .string({ required_error: `${E}.labelRequired` })
    .trim()
    .min(1, `${E}.labelRequired`)
    .max(40, `${E}.tooLong|${JSON.stringify({ max: 40 })}`),
});

export const assignSchema = z.object({
  shipment: z
    .string({ required_error: `${E}.shipment` })
    .min(1, `${E}.shipment`)
    .max(60),
  partner: z
    .string({ required_error: `${E}.partnerRequired` })
    .min(1, `${E}.partnerRequired`)
    .max(60),
});
