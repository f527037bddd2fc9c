import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  collectStopResultSchema,
  manifestListQuerySchema,
  manifestListSchema,
  manifestSchema,
} from "./manifest-schemas";
import type { SharedComponents } from "./openapi.server";

// The pickup runs' endpoints in the partner API's OpenAPI document (a section of API_SECTIONS).

const json = (schema: z.ZodTypeAny, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export function registerManifests(registry: OpenAPIRegistry, { bearer, errors }: SharedComponents) {
  const security = [{ [bearer.name]: [] }];
  const list = registry.register("ManifestList", manifestListSchema);
  const manifest = registry.register("Manifest", manifestSchema);
  const collected = registry.register("StopCollected", collectStopResultSchema);
  const id = z.object({ id: z.string() });
  registry.registerPath({
    method: "get",
    path: "/manifests",
    operationId: "listManifests",
    summary: "Your pickup runs (共同配送) of a day",
    description:
      "Runs of the day in Asia/Shanghai, one per route (township), with shipments, parcels and grams; cold chain apart.",
    security,
    request: { query: manifestListQuerySchema },
    responses: { 200: json(list, "The day's runs."), ...errors(400) },
  });
  registry.registerPath({
    method: "get",
    path: "/manifests/{id}",
    operationId: "getManifest",
    summary: "One pickup run: township → village → stop, cold chain apart, with counts and weights",
    description: "Cancelled shipments are left out. Another partner's run is not found.",
    security,
    request: { params: id },
    responses: { 200: json(manifest, "The run."), ...errors(404) },
  });
  registry.registerPath({
    method: "post",
    path: "/manifests/{id}/stops/{stopId}/collected",
    operationId: "collectStop",
    summary: "Mark a stop collected: picked_up for each of its shipments",
    description:
      "No body. Idempotent: a repeat records nothing new and answers with the first collection's time; " +
      "each shipment says picked_up, duplicate or not_allowed (with its status).",
    security,
    request: { params: id.extend({ stopId: z.string() }) },
    responses: { 200: json(collected, "Collected."), ...errors(404) },
  });
}
