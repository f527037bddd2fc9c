import type { z } from "zod";
import { readBoundedBody } from "~/lib/request-bounds.server";
import { limiterFor, type LimitRule } from "~/lib/rate-limit.server";
import { partnerOfApiKey, type AuthenticatedPartner } from "./partner-keys.server";

// The partner API's HTTP edges (issue #10): the key, the rate limit, bounded JSON bodies and
// the error shape every endpoint answers with — {"error": {"code", "message", "fields"?}}.
// Errors are in English: the API's readers are partners' developers, not shoppers.

/** Requests per key per minute: a poller every few seconds is far below; a runaway loop is not. */
export const PARTNER_API_LIMIT: LimitRule = {
  name: "logistics-api",
  points: 600,
  windowSeconds: 60,
  fallbackPoints: 300,
};
/** Largest JSON body an endpoint reads. */
export const API_BODY_MAX_BYTES = 16 * 1024;

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(data: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(data), { ...init, headers: { ...JSON_HEADERS, ...init.headers } });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  extra: { fields?: Record<string, string>; headers?: Record<string, string> } = {},
): Response {
  return apiJson(
    { error: { code, message, ...(extra.fields ? { fields: extra.fields } : {}) } },
    { status, headers: extra.headers },
  );
}

/**
 * The partner behind `Authorization: Bearer <key>`, counted against its rate limit; throws the
 * 401 or 429 Response otherwise. The limit counts per key, and per address for bad keys (so
 * guessing keys is limited too).
 */
export async function requirePartner(request: Request, clientIp: string): Promise<AuthenticatedPartner> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S{1,200})$/i.exec(header.trim());
  const limiter = limiterFor(PARTNER_API_LIMIT);
  const partner = match ? await partnerOfApiKey(match[1]!) : null;
  const subject = partner ? `key:${partner.keyId}` : `ip:${clientIp}`;
  const hit = await limiter.hit(subject);
  if (hit.retryAfterSeconds > 0 && hit.used > PARTNER_API_LIMIT.points) {
    throw apiError(429, "rate_limited", "Too many requests; retry after the number of seconds in Retry-After.", {
      headers: { "Retry-After": String(hit.retryAfterSeconds) },
    });
  }
  if (!partner) {
    throw apiError(
      401,
      "unauthorized",
      match ? "The API key is unknown or revoked." : "Send Authorization: Bearer <API key>.",
      {
        headers: { "WWW-Authenticate": 'Bearer realm="logistics"' },
      },
    );
  }
  return partner;
}

/** Reads and validates a JSON body; throws a 400/413/415 Response naming what is wrong. */
export async function readJsonBody<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw apiError(415, "unsupported_media_type", "Send the body as application/json.");
  let bytes: Uint8Array;
  try {
    bytes = await readBoundedBody(request, API_BODY_MAX_BYTES);
  } catch (error) {
    if (error instanceof Response && error.status === 413) {
      throw apiError(413, "body_too_large", `The body is larger than ${API_BODY_MAX_BYTES} bytes.`);
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw apiError(400, "invalid_json", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join(".") || "(body)"] ??= issue.message;
    throw apiError(400, "invalid_body", `Invalid fields: ${Object.keys(fields).join(", ")}.`, { fields });
  }
  return parsed.data;
}
