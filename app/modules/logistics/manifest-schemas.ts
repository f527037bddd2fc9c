import { z } from "zod";

// The pickup runs' shapes (issue #10): the partner API's manifest endpoints answer exactly these,
// and the portal and the printable page read the same objects. Plain zod, so the OpenAPI document
// can register them (GET /manifests, GET /manifests/:id, POST /manifests/:id/stops/:stopId/collected).

/** `?date=YYYY-MM-DD` (Asia/Shanghai day); a real calendar date. */
export const runDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Expected a date as YYYY-MM-DD.")
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: "Not a calendar date.",
    },
  );

export const manifestListQuerySchema = z.object({ date: runDateSchema });

/** Shipments, parcels and kilograms (grams, integers) of a group. */
export const countsSchema = z.object({
  shipments: z.number().int(),
  parcels: z.number().int(),
  weightGrams: z.number().int(),
});
export type Counts = z.infer<typeof countsSchema>;

/** All of a group, and its cold-chain part apart from the rest (ambient). */
export const totalsSchema = z.object({ all: countsSchema, ambient: countsSchema, cold: countsSchema });
export type Totals = z.infer<typeof totalsSchema>;

export const manifestShipmentSchema = z.object({
  id: z.string(),
  orderNumber: z.string(),
  waybillNo: z.string().nullable(),
  status: z.string(),
  delivery: z.enum(["home", "pickup_point", "locker"]),
  coldChain: z.boolean(),
  parcels: z.number().int(),
  weightGrams: z.number().int(),
  codAmountFen: z.number().int(),
  recipientName: z.string().nullable(),
  /** Where it goes: the home address, or the pickup point or locker's name and address. */
  destination: z.string(),
  lockerCode: z.string().nullable(),
  reason: z.string().nullable(),
});
export type ManifestShipment = z.infer<typeof manifestShipmentSchema>;

export const manifestStopSchema = z.object({
  id: z.string(),
  cooperative: z.object({
    name: z.string(),
    address: z.string(),
    contactName: z.string().nullable(),
    contactPhone: z.string().nullable(),
  }),
  collectedAt: z.string().nullable(),
  totals: totalsSchema,
  /** Ambient parcels first, cold chain listed apart. */
  shipments: z.array(manifestShipmentSchema),
  coldChain: z.array(manifestShipmentSchema),
});
export type ManifestStop = z.infer<typeof manifestStopSchema>;

export const manifestVillageSchema = z.object({
  name: z.string(),
  totals: totalsSchema,
  stops: z.array(manifestStopSchema),
});
export const manifestTownshipSchema = z.object({
  name: z.string(),
  totals: totalsSchema,
  villages: z.array(manifestVillageSchema),
});
export type ManifestTownship = z.infer<typeof manifestTownshipSchema>;

export const manifestSummarySchema = z.object({
  id: z.string(),
  /** YYYY-MM-DD */
  runDate: z.string(),
  route: z.string(),
  county: z.string(),
  stops: z.number().int(),
  collectedStops: z.number().int(),
  totals: totalsSchema,
});
export type ManifestSummary = z.infer<typeof manifestSummarySchema>;

export const manifestListSchema = z.object({ date: z.string(), manifests: z.array(manifestSummarySchema) });

export const manifestSchema = manifestSummarySchema.extend({
  partner: z.string(),
  townships: z.array(manifestTownshipSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The answer to POST /manifests/:id/stops/:stopId/collected. */
export const collectStopResultSchema = z.object({
  stopId: z.string(),
  collectedAt: z.string(),
  shipments: z.array(
    z.object({
      id: z.string(),
      /** picked_up recorded now, already recorded by an earlier press, or refused (status given). */
      outcome: z.enum(["picked_up", "duplicate", "not_allowed"]),
      status: z.string(),
    }),
  ),
});
export type CollectStopResult = z.infer<typeof collectStopResultSchema>;
