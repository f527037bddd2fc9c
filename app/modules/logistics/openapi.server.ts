import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { platformOrigin } from "~/lib/origins.server";
import { singleton } from "~/lib/singleton.server";
import {
  AcceptBody,
  ApiErrorSchema,
  EventBody,
  FeedPageSchema,
  FeedQuery,
  RejectBody,
  RejectedSchema,
  ShipmentIdParam,
  ShipmentSchema,
  WebhookPayloadSchema,
} from "./api-schemas";
import { PARTNER_API_LIMIT } from "./api-http.server";

// The partner API's OpenAPI 3.1 document (GET /api/logistics/v1/openapi.json), generated from
// the zod schemas the routes validate with. Each group of endpoints registers itself through a
// function in API_SECTIONS: the manifests' endpoints add theirs there.

export const API_BASE_PATH = "/api/logistics/v1";

type Registrar = (registry: OpenAPIRegistry, shared: SharedComponents) => void;

export interface SharedComponents {
  bearer: { name: string };
  /** The error responses every endpoint may answer with. */
  errors: (...statuses: (400 | 404 | 409 | 413 | 415)[]) => RouteConfig["responses"];
}

const json = (schema: z.ZodTypeAny, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

function registerShipments(registry: OpenAPIRegistry, { bearer, errors }: SharedComponents) {
  const security = [{ [bearer.name]: [] }];
  registry.registerPath({
    method: "get",
    path: "/shipments",
    operationId: "listShipments",
    summary: "The feed: your shipments, page by page",
    description:
      "Ordered by the moment each shipment was given to you; a cursor never skips or repeats a shipment, " +
      "even while shipments are being created concurrently. Poll with the last nextCursor.",
    security,
    request: { query: FeedQuery },
    responses: { 200: json(FeedPageSchema, "A page of shipments."), ...errors(400) },
  });
  registry.registerPath({
    method: "get",
    path: "/shipments/{id}",
    operationId: "getShipment",
    summary: "One shipment",
    security,
    request: { params: ShipmentIdParam },
    responses: { 200: json(ShipmentSchema, "The shipment."), ...errors(404) },
  });
  registry.registerPath({
    method: "post",
    path: "/shipments/{id}/accept",
    operationId: "acceptShipment",
    summary: "Accept a shipment with your waybill number",
    security,
    request: { params: ShipmentIdParam, body: { content: { "application/json": { schema: AcceptBody } } } },
    responses: { 200: json(ShipmentSchema, "Accepted (also for a repeat)."), ...errors(400, 404, 409, 413, 415) },
  });
  registry.registerPath({
    method: "post",
    path: "/shipments/{id}/reject",
    operationId: "rejectShipment",
    summary: "Decline a shipment: it returns to the county coordinator",
    security,
    request: { params: ShipmentIdParam, body: { content: { "application/json": { schema: RejectBody } } } },
    responses: { 200: json(RejectedSchema, "Rejected; it is no longer yours."), ...errors(400, 404, 409, 413, 415) },
  });
  registry.registerPath({
    method: "post",
    path: "/shipments/{id}/events",
    operationId: "reportShipmentEvent",
    summary: "Report what happened to a shipment",
    description:
      "Idempotent by eventId. An event older than the latest one reported is kept in the timeline but does not " +
      "move the status back. in_locker needs lockerCode, failed needs the reason in note, codCollectedFen only with delivered.",
    security,
    request: { params: ShipmentIdParam, body: { content: { "application/json": { schema: EventBody } } } },
    responses: {
      201: json(ShipmentSchema, "Recorded; the shipment as it is now."),
      200: json(ShipmentSchema, "A repeat of an eventId already recorded: nothing changed."),
      ...errors(400, 404, 409, 413, 415),
    },
  });
  const webhookHeaders = z.object({
    "webhook-id": z.string().openapi({ description: "The message id: the same on every retry; deduplicate by it." }),
    "webhook-timestamp": z.string().openapi({ description: "Unix seconds when this attempt was signed." }),
    "webhook-signature": z.string().openapi({
      description: "Space-separated v1,<base64 HMAC-SHA256> signatures (one per active signing secret).",
    }),
  });
  for (const type of ["shipment.created", "shipment.updated", "shipment.cancelled"] as const) {
    registry.registerWebhook({
      method: "post",
      path: type,
      operationId: `webhook_${type.replace(".", "_")}`,
      summary: `Pushed to your endpoint: ${type}`,
      description:
        "A Standard Webhooks request. Verify the signature over the raw body with your signing secret, answer 2xx " +
        "quickly; anything else (and timeouts after 10 s) is retried with backoff for at least 24 h.",
      request: {
        headers: webhookHeaders,
        body: { content: { "application/json": { schema: WebhookPayloadSchema } } },
      },
      responses: { 200: { description: "Received (any 2xx)." } },
    });
  }
}

/** Every group of endpoints in the document; add a group by adding its registrar. */
export const API_SECTIONS: Registrar[] = [registerShipments];

function build(): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key of your partner account (lk_…), issued by the county coordinator or the platform.",
  });
  const error = registry.register("Error", ApiErrorSchema);
  const retryAfter = { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" as const } } };
  const described: Record<number, string> = {
    400: "A bad query or body; `fields` names each bad field.",
    404: "No such shipment for your partner account (another partner's or county's are not found either).",
    409: "The shipment's state does not allow this now.",
    413: "The body is larger than 16 KB.",
    415: "The body is not application/json.",
  };
  const errors = (...statuses: (400 | 404 | 409 | 413 | 415)[]) => ({
    ...Object.fromEntries(statuses.map((s) => [s, json(error, described[s]!)])),
    401: json(error, "A missing, unknown or revoked API key."),
    429: { ...json(error, `More than ${PARTNER_API_LIMIT.points} requests a minute.`), headers: retryAfter },
  });
  for (const section of API_SECTIONS) section(registry, { bearer, errors });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "County logistics partner API",
      version: "1.0.0",
      description:
        "The order feed of the county's cooperatives for logistics partners: pull shipments, accept or reject them, " +
        "report events; changes are also pushed as signed Standard Webhooks. Guide: /developers/logistics.",
    },
    servers: [{ url: `${platformOrigin()}${API_BASE_PATH}` }],
    security: [{ [bearer.name]: [] }],
  });
}

/** The document (built once per process: it depends only on code and PUBLIC_ORIGIN). */
export function openApiDocument(): object {
  return singleton("logistics:openapi", build);
}
