import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { decimalNumber } from "~/lib/decimal";
import { PARTNER_EVENT_TYPES, SHIPMENT_STATUSES } from "./shipment-status";

// The partner API's shapes (issue #10), in zod: the routes validate requests with them and
// the OpenAPI document (openapi.server.ts) is generated from the same objects, so the
// document cannot drift from what the API accepts. Error messages are English: the readers
// are partners' developers.

extendZodWithOpenApi(z);

/** Largest page of the feed, and the default. */
export const FEED_MAX_LIMIT = 200;
export const FEED_DEFAULT_LIMIT = 50;
/** An event dated further ahead than this is refused: it would hold the status against every later event. */
export const EVENT_MAX_FUTURE_MS = 10 * 60 * 1000;

export const FEED_STATUSES = SHIPMENT_STATUSES.map((s) => s.toLowerCase()) as unknown as readonly [
  Lowercase<(typeof SHIPMENT_STATUSES)[number]>,
  ...Lowercase<(typeof SHIPMENT_STATUSES)[number]>[],
];

const text = (max: number) => z.string().trim().min(1, "Required.").max(max, `At most ${max} characters.`);

// ─── Requests ──────────────────────────────────────────────────────────────

export const FeedQuery = z.object({
  status: z
    .enum(FEED_STATUSES, { errorMap: () => ({ message: `One of: ${FEED_STATUSES.join(", ")}.` }) })
    .optional()
    .openapi({ description: "Only shipments in this status (lower-case)." }),
  cursor: z
    .string()
    .max(200, "Not a cursor of this feed.")
    .optional()
    .openapi({ description: "The `nextCursor` of the previous page; omit it to start from the beginning." }),
  // Decimal digits only, like every number read from a request ("0x10" or "1e2" is refused).
  limit: decimalNumber(
    z
      .number({ invalid_type_error: "A whole number." })
      .int("A whole number.")
      .min(1, "At least 1.")
      .max(FEED_MAX_LIMIT, `At most ${FEED_MAX_LIMIT}.`),
  )
    .default(FEED_DEFAULT_LIMIT)
    .openapi({ description: `Shipments per page, 1–${FEED_MAX_LIMIT}.`, example: 100 }),
});

export const ShipmentIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "cm4x0y1z20000abcd1234efgh" }),
});

export const AcceptBody = z
  .object({
    waybillNo: z
      .string()
      .trim()
      .min(1, "Required.")
      .max(40, "At most 40 characters.")
      .regex(/^[A-Za-z0-9-]+$/, "Letters, digits and '-' only.")
      .openapi({ description: "Your waybill number for the parcel(s).", example: "YZ9801234567" }),
    carrier: text(60).openapi({ description: "Who carries it (your company or sub-carrier).", example: "中国邮政" }),
  })
  .strict()
  .openapi("AcceptRequest");

export const RejectBody = z
  .object({
    reason: text(500).openapi({
      description: "Why you will not carry it; the coordinator reads it.",
      example: "冷链车满",
    }),
  })
  .strict()
  .openapi("RejectRequest");

export const EventBody = z
  .object({
    eventId: z
      .string()
      .min(1, "Required.")
      .max(100, "At most 100 characters.")
      .regex(/^[\x21-\x7e]+$/, "Printable ASCII without spaces.")
      .openapi({
        description: "Your id for this event: a repeat with the same id changes nothing.",
        example: "evt-000123",
      }),
    type: z
      .enum(PARTNER_EVENT_TYPES, { errorMap: () => ({ message: `One of: ${PARTNER_EVENT_TYPES.join(", ")}.` }) })
      .openapi({ description: "What happened." }),
    at: z
      .string()
      .datetime({ offset: true, message: "An ISO 8601 date-time with its offset, e.g. 2026-12-05T09:30:00+08:00." })
      .openapi({
        description: "When it happened (your clock), with its offset.",
        example: "2026-12-05T09:30:00+08:00",
      }),
    note: text(500).optional().openapi({ description: "Free text; for `failed`, the reason (required)." }),
    lockerCode: z
      .string()
      .trim()
      .min(1, "Required.")
      .max(32, "At most 32 characters.")
      .optional()
      .openapi({ description: "For `in_locker` (required): the code the buyer opens the locker with." }),
    codCollectedFen: z
      .number({ invalid_type_error: "A whole number of fen." })
      .int("A whole number of fen.")
      .min(0, "Not negative.")
      .max(100_000_000, "Too large.")
      .optional()
      .openapi({ description: "For `delivered` of a cash-on-delivery shipment: the cash collected, in fen." }),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.type === "in_locker" && !e.lockerCode)
      ctx.addIssue({ code: "custom", path: ["lockerCode"], message: "Required for in_locker." });
    if (e.type !== "in_locker" && e.lockerCode !== undefined)
      ctx.addIssue({ code: "custom", path: ["lockerCode"], message: "Only with in_locker." });
    if (e.type === "failed" && !e.note)
      ctx.addIssue({ code: "custom", path: ["note"], message: "Required for failed: the reason." });
    if (e.type !== "delivered" && e.codCollectedFen !== undefined)
      ctx.addIssue({ code: "custom", path: ["codCollectedFen"], message: "Only with delivered." });
  })
  .openapi("EventRequest");
export type EventBodyInput = z.infer<typeof EventBody>;

// ─── Responses ─────────────────────────────────────────────────────────────

const isoTime = z.string().openapi({ format: "date-time", example: "2026-12-05T01:30:00.000Z" });

export const ShipmentEventSchema = z
  .object({
    eventId: z.string(),
    type: z.string().openapi({
      description:
        "created, assigned, accepted, rejected, cancelled (the platform's) or one of the partner event types.",
    }),
    at: isoTime,
    note: z.string().nullable(),
    lockerCode: z.string().nullable(),
    codCollectedFen: z.number().int().nullable(),
  })
  .openapi("ShipmentEvent");

export const ShipmentSchema = z
  .object({
    id: z.string(),
    orderNumber: z.string().openapi({ description: "The shop order's number, printed on the parcel." }),
    county: z.string().openapi({ description: "The county's code (行政区划代码)." }),
    status: z.enum(FEED_STATUSES),
    delivery: z.enum(["home", "pickup_point", "locker"]),
    parcels: z.object({ count: z.number().int(), weightKg: z.number() }),
    coldChain: z.boolean(),
    waybillNo: z.string().nullable(),
    carrier: z.string().nullable(),
    codAmountFen: z
      .number()
      .int()
      .openapi({ description: "Cash to collect at delivery (货到付款), in fen; 0 if none." }),
    codCollectedFen: z.number().int().nullable(),
    sender: z.object({
      shop: z.string(),
      cooperative: z.string(),
      village: z.string(),
      address: z.string(),
      contactName: z.string().nullable(),
      contactPhone: z.string().nullable(),
    }),
    recipient: z.object({
      name: z.string().nullable(),
      phone: z.string().nullable(),
      region: z.string().nullable(),
      address: z.string().nullable().openapi({ description: "Home delivery only; else see pickupPoint." }),
    }),
    pickupPoint: z
      .object({
        code: z.string(),
        kind: z.enum(["point", "locker"]),
        name: z.string(),
        address: z.string(),
        lockerCode: z.string().nullable(),
      })
      .nullable(),
    contents: z.array(
      z.object({ title: z.string(), variant: z.string(), quantity: z.number().int(), unit: z.string() }),
    ),
    traceCodes: z.array(z.string()).openapi({ description: "Trace codes of the batches shipped (/t/<code>)." }),
    manifestId: z.string().nullable().openapi({ description: "The pickup run (manifest) it is on." }),
    reason: z.string().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
    events: z.array(ShipmentEventSchema),
  })
  .openapi("Shipment");

export const FeedPageSchema = z
  .object({
    shipments: z.array(ShipmentSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({
        description:
          "Pass it as `cursor` for the next page. Null only when you have no shipments yet and sent no cursor; " +
          "otherwise always given, also on an empty page, so a poller resumes from it.",
      }),
    hasMore: z.boolean().openapi({ description: "More shipments are ready now; false: you have caught up." }),
  })
  .openapi("ShipmentPage");

export const RejectedSchema = z.object({ id: z.string(), status: z.literal("rejected") }).openapi("Rejected");

export const ApiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({
        example: "invalid_body",
        description:
          "unauthorized, rate_limited, not_found, method_not_allowed, invalid_query, invalid_cursor, invalid_json, " +
          "invalid_body, unsupported_media_type, body_too_large, conflict.",
      }),
      message: z.string(),
      fields: z
        .record(z.string())
        .optional()
        .openapi({ description: "For 400: each bad field (dotted path) and what is wrong with it." }),
    }),
  })
  .openapi("Error");

export const WebhookPayloadSchema = z
  .object({
    type: z.enum(["shipment.created", "shipment.updated", "shipment.cancelled"]),
    timestamp: isoTime,
    data: ShipmentSchema,
  })
  .openapi("ShipmentWebhook");
