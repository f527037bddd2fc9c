import { z } from "zod";
import { isValidCreditCode } from "~/modules/tenancy/credit-code";

// The format of tenants/<slug>/tenant.json: one cooperative's demo pack.
// Error messages are i18n keys (see app/locales/*/translation.json "pack.*").

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "pack.slug")
  .min(2)
  .max(60);
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "pack.colour");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "pack.date");
const text = (max: number) => z.string().trim().min(1).max(max);
const bilingual = (max: number) => z.object({ zh: text(max), en: text(max) }).strict();
const optionalBilingual = (max: number) =>
  z.object({ zh: text(max), en: text(max).optional() }).strict();
const assetPath = z
  .string()
  .regex(/^[a-zA-Z0-9_\-/]+\.(svg|png|jpe?g|webp)$/, "pack.asset")
  .refine((p) => !p.split("/").includes(".."), "pack.asset");

/** A pickup point (自提点: a village post or service station) or an electronic pickup locker (智能快递柜). */
export const pickupPointSchema = z
  .object({
    /** Stable within the county: the import matches rows by county and code. */
    code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,40}$/, "pack.pickupCode"),
    kind: z.enum(["POINT", "LOCKER"]),
    name: bilingual(80),
    address: bilingual(200),
    /** The county partner whose network it belongs to (its Chinese name, as in `partners`). */
    partner: text(80).optional(),
    /**
     * Where it is, when outside the county (a partner's network in 南京, 苏州, 上海…): checkout
     * offers it to buyers who name that city or district. Without a city it is the county's own.
     */
    city: bilingual(40).optional(),
    district: bilingual(40).optional(),
  })
  .strict();

/** A county's logistics partner (issue #10): matched by county and Chinese name; never given an API key here. */
export const partnerSchema = z
  .object({
    name: optionalBilingual(80),
    kind: z.enum(["COUNTY_CENTRE", "POST", "EXPRESS"]),
    services: z.array(z.enum(["HOME", "PICKUP_POINT", "LOCKER", "COLD_CHAIN"])).min(1).max(4),
    /** Townships or villages it serves (zh); none: the whole county. */
    areas: z.array(text(40)).max(100).optional(),
    contactPhone: text(20).optional(),
  })
  .strict();

export const countySchema = z
  .object({
    code: z.string().regex(/^\d{6}$/, "pack.countyCode"),
    slug,
    nameZh: text(40),
    nameEn: text(80),
    cityZh: text(40),
    cityEn: text(80),
    /** The county's pickup points and lockers buyers may choose at checkout (shared by its shops). */
    pickupPoints: z.array(pickupPointSchema).max(200).optional(),
    /** The county's logistics partners (issue #10). */
    partners: z.array(partnerSchema).max(20).optional(),
  })
  .strict();

const certificationSchema = z
  .object({
    kind: z.enum([
      "GEOGRAPHIC_INDICATION",
      "GREEN_FOOD",
      "ORGANIC",
      "POLLUTION_FREE",
      "COMPLIANCE_CERTIFICATE",
      "OTHER",
    ]),
    name: bilingual(120),
    number: text(80).optional(),
    issuer: bilingual(120).optional(),
    validUntil: isoDate.optional(),
  })
  .strict();

const variantSchema = z
  .object({
    sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,40}$/, "pack.sku"),
    title: optionalBilingual(80),
    unit: text(10),
    priceFen: z.number().int().min(1).max(100_000_000),
    compareAtFen: z.number().int().min(1).max(100_000_000).optional(),
    stock: z.number().int().min(0).max(1_000_000),
    weightGrams: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

const imageSchema = z.object({ file: assetPath, alt: optionalBilingual(200) }).strict();

const slotSchema = z
  .object({
    /** Local time in Asia/Shanghai, e.g. "2027-03-06T09:00". */
    startsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "pack.dateTime"),
    capacity: z.number().int().min(1).max(10_000),
  })
  .strict();

/** Slots generated from today (Asia/Shanghai) on: e.g. every Sat and Sun at 09:00 for 8 weeks. */
const slotScheduleSchema = z
  .object({
    /** 0 = Sunday … 6 = Saturday */
    weekdays: z.array(z.number().int().min(0).max(6)).min(1),
    times: z.array(z.string().regex(/^\d{2}:\d{2}$/, "pack.time")).min(1),
    weeks: z.number().int().min(1).max(52),
    capacity: z.number().int().min(1).max(10_000),
  })
  .strict();

const productBase = {
  slug,
  status: z.enum(["DRAFT", "ACTIVE", "ARCHIVED"]).default("ACTIVE"),
  featured: z.boolean().default(false),
  title: optionalBilingual(120),
  summary: optionalBilingual(300).optional(),
  description: optionalBilingual(5000).optional(),
  images: z.array(imageSchema).min(1).max(12),
  variants: z.array(variantSchema).min(1).max(30),
};

const months = z.array(z.number().int().min(1).max(12)).max(12);

const produceSchema = z
  .object({
    ...productBase,
    kind: z.literal("PRODUCE"),
    harvestMonths: months.min(1),
    coldChain: z.boolean().default(false),
    shelfLifeDays: z.number().int().min(1).max(3650).optional(),
    storage: optionalBilingual(300).optional(),
    presale: z
      .object({ yieldCap: z.number().int().min(1), shipBy: isoDate })
      .strict()
      .optional(),
    gi: z.object({ name: text(80), authNumber: text(80) }).strict().optional(),
  })
  .strict();

const specialtySchema = z
  .object({
    ...productBase,
    kind: z.literal("SPECIALTY"),
    harvestMonths: months.default([]),
    shelfLifeDays: z.number().int().min(1).max(36500).optional(),
    storage: optionalBilingual(300).optional(),
    gi: z.object({ name: text(80), authNumber: text(80) }).strict().optional(),
  })
  .strict();

const experienceSchema = z
  .object({
    ...productBase,
    kind: z.literal("EXPERIENCE"),
    harvestMonths: months.default([]),
    durationMinutes: z.number().int().min(15).max(60 * 24 * 14),
    meetingPoint: optionalBilingual(300),
    included: optionalBilingual(1000).optional(),
    slots: z.array(slotSchema).max(500).default([]),
    slotSchedule: slotScheduleSchema.optional(),
  })
  .strict();

export const productSchema = z.discriminatedUnion("kind", [
  produceSchema,
  specialtySchema,
  // An experience needs slots or a schedule: checked in tenantPackSchema's superRefine.
  experienceSchema,
]);

const commitments = z.enum([
  "NO_BANNED_PESTICIDES",
  "NO_ILLEGAL_ADDITIVES",
  "PESTICIDE_RESIDUE_COMPLIANT",
  "VETERINARY_DRUG_RESIDUE_COMPLIANT",
]);

const batchSchema = z
  .object({
    /** Printed as a QR code; 12 characters from an unambiguous alphabet. */
    traceCode: z.string().regex(/^[0-9A-HJ-NP-Z]{12}$/, "pack.traceCode"),
    products: z.array(slug).min(1),
    productName: optionalBilingual(120),
    harvestDate: isoDate,
    originPlot: optionalBilingual(200),
    quantity: z.number().int().min(1),
    quantityUnit: text(10),
    testReport: optionalBilingual(1000).optional(),
    testedAt: isoDate.optional(),
    testedBy: text(120).optional(),
    certificate: z
      .object({
        producer: text(120),
        contactPhone: z.string().regex(/^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, "pack.phone"),
        origin: text(200),
        issuedOn: isoDate,
        commitments: z.array(commitments).min(1),
        basis: z.enum(["SELF_CHECK", "COMMISSIONED_TEST", "INTERNAL_CONTROL"]).optional(),
      })
      .strict(),
    inputs: z
      .array(
        z
          .object({
            kind: z.enum(["FERTILISER", "PESTICIDE", "VETERINARY_DRUG", "OTHER"]),
            name: optionalBilingual(120),
            appliedOn: isoDate,
            safetyIntervalDays: z.number().int().min(0).max(365).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const tenantPackSchema = z
  .object({
    slug,
    status: z.enum(["DRAFT", "SUBMITTED", "LIVE", "SUSPENDED"]).default("LIVE"),
    county: countySchema,
    name: bilingual(80),
    town: bilingual(80).optional(),
    village: bilingual(80),
    tagline: bilingual(120).optional(),
    story: bilingual(5000),
    creditCode: z.string().refine(isValidCreditCode, "pack.creditCode"),
    contact: z
      .object({
        name: text(40),
        phone: z.string().regex(/^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, "pack.phone"),
        email: z.string().email().optional(),
      })
      .strict(),
    theme: z.object({ primary: hexColour, accent: hexColour }).strict(),
    logo: assetPath,
    banner: assetPath,
    customDomain: z
      .string()
      .regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "pack.domain")
      .optional(),
    certifications: z.array(certificationSchema).max(20).default([]),
    products: z.array(productSchema).min(1).max(500),
    batches: z.array(batchSchema).max(500).default([]),
  })
  .strict()
  .superRefine((pack, ctx) => {
    const productSlugs = new Set<string>();
    const skus = new Set<string>();
    pack.products.forEach((product, i) => {
      if (productSlugs.has(product.slug)) {
        ctx.addIssue({ code: "custom", path: ["products", i, "slug"], message: "pack.duplicate" });
      }
      productSlugs.add(product.slug);
      product.variants.forEach((variant, j) => {
        if (skus.has(variant.sku)) {
          ctx.addIssue({
            code: "custom",
            path: ["products", i, "variants", j, "sku"],
            message: "pack.duplicate",
          });
        }
        skus.add(variant.sku);
      });
      if (product.kind === "EXPERIENCE" && product.slots.length === 0 && !product.slotSchedule) {
        ctx.addIssue({ code: "custom", path: ["products", i, "slots"], message: "pack.slotsRequired" });
      }
    });
    const pickupCodes = new Set<string>();
    const partnerNames = new Set<string>();
    pack.county.partners?.forEach((partner, i) => {
      if (partnerNames.has(partner.name.zh)) {
        ctx.addIssue({ code: "custom", path: ["county", "partners", i, "name", "zh"], message: "pack.duplicate" });
      }
      partnerNames.add(partner.name.zh);
    });
    pack.county.pickupPoints?.forEach((point, i) => {
      if (pickupCodes.has(point.code)) {
        ctx.addIssue({ code: "custom", path: ["county", "pickupPoints", i, "code"], message: "pack.duplicate" });
      }
      pickupCodes.add(point.code);
      if (point.partner !== undefined && !partnerNames.has(point.partner)) {
        ctx.addIssue({ code: "custom", path: ["county", "pickupPoints", i, "partner"], message: "pack.pickupPartner" });
      }
    });
    pack.batches.forEach((batch, i) => {
      batch.products.forEach((productSlug, j) => {
        if (!productSlugs.has(productSlug)) {
          ctx.addIssue({
            code: "custom",
            path: ["batches", i, "products", j],
            message: "pack.unknownProduct",
          });
        }
      });
    });
  });

export type TenantPack = z.infer<typeof tenantPackSchema>;
export type PackProduct = TenantPack["products"][number];
