// A local stand-in for the Stripe API, for tests, the end-to-end server and the bench.
// It speaks the endpoints the app uses, the way Stripe answers them (form-encoded
// requests with nested keys, JSON objects with Stripe's ids and fields, Stripe's error
// shape, Idempotency-Key replays), records every request for assertions, serves a fake
// hosted payment page, and signs webhook events with the SDK's test-header helper.
//
//   POST /v1/checkout/sessions               GET  /v1/checkout/sessions/:id
//   POST /v1/checkout/sessions/:id/expire     GET  /v1/checkout/sessions/:id/line_items
//   POST /v1/refunds   GET /v1/refunds?payment_intent=…   GET /v1/refunds/:id
//   POST /v1/transfers GET /v1/transfers/:id  GET /v1/payment_intents/:id
//   GET  /pay/:sessionId (the hosted page)    POST /pay/:sessionId (the buyer pays)
//
// Run on its own: `tsx tests/support/stripe-test-server.ts --port 12111
//   [--webhook-url http://127.0.0.1:3000/webhooks/stripe] [--webhook-secret whsec_…]`.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export const TEST_SECRET_KEY = "sk_test_storefront_local";
export const TEST_WEBHOOK_SECRET = "whsec_storefront_local_test_secret";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, expanded like the body. */
  query: JsonObject;
  /** The form body with nested keys expanded: line_items[0][price_data][unit_amount] → body.line_items[0].price_data.unit_amount. */
  body: JsonObject;
  idempotencyKey: string | null;
  authorization: string | null;
  stripeVersion: string | null;
  status: number;
  replayed: boolean;
}

export interface WebhookDelivery {
  eventId: string;
  type: string;
  url: string;
  status: number | null;
  error: string | null;
}

export interface StripeTestServerOptions {
  port?: number;
  host?: string;
  /** Where events go when the buyer pays on the hosted page (and for deliver()). */
  webhookUrl?: string | null;
  webhookSecret?: string;
  /** Status of new refunds: card refunds usually succeed at once; Alipay and WeChat Pay ones may stay pending. */
  refundStatus?: "succeeded" | "pending";
}

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
  ) {
    super(message);
  }
}

const now = () => Math.floor(Date.now() / 1000);
const id = (prefix: string, length = 24) =>
  `${prefix}_${randomBytes(length).toString("base64url").replace(/[-_]/g, "").slice(0, length)}`;
const clone = <T>(value: T): T => structuredClone(value);

/**
 * Expands Stripe's form encoding: `a[b][0][c]=1&a[b][0][d]=x` → { a: { b: [{ c: "1", d: "x" }] } }.
 * Values stay strings, as Stripe receives them; `a[]=` appends.
 */
export function expandForm(params: URLSearchParams): JsonObject {
  const root: JsonObject = {};
  for (const [rawKey, value] of params) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) {
      root[rawKey] = value;
      continue;
    }
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Json = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]!);
      const container = node as JsonObject | Json[];
      const slot: string | number = Array.isArray(container) ? (key === "" ? container.length : Number(key)) : key;
      if (last) {
        (container as Record<string | number, Json>)[slot] = value;
      } else {
        const existing = (container as Record<string | number, Json>)[slot];
        if (existing === undefined || existing === null || typeof existing !== "object") {
          (container as Record<string | number, Json>)[slot] = nextIsIndex ? [] : {};
        }
        node = (container as Record<string | number, Json>)[slot]!;
      }
    }
  }
  return root;
}

function asObject(value: Json | undefined): JsonObject {
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}
function asArray(value: Json | undefined): Json[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object")
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => value[k]!);
  return [];
}
function asString(value: Json | undefined): string | null {
  return typeof value === "string" ? value : null;
}
function asInt(value: Json | undefined, param: string, { min = 0 } = {}): number {
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new StripeError(400, "invalid_request_error", `Invalid integer: ${String(value)}`, { param });
  return n;
}
function required(value: Json | undefined, param: string): Json {
  if (value === undefined || value === "")
    throw new StripeError(400, "invalid_request_error", `Missing required param: ${param}.`, {
      code: "parameter_missing",
      param,
    });
  return value;
}

interface StoredLineItem {
  name: string;
  unitAmount: number;
  quantity: number;
  currency: string;
}

export type CheckoutSession = JsonObject & { id: string; status: string; payment_status: string; amount_total: number };

export class StripeTestServer {
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  readonly sessions = new Map<string, CheckoutSession>();
  readonly lineItems = new Map<string, StoredLineItem[]>();
  readonly paymentIntents = new Map<string, JsonObject>();
  readonly charges = new Map<string, JsonObject>();
  readonly refunds = new Map<string, JsonObject>();
  readonly transfers = new Map<string, JsonObject>();
  /**
   * Answers to fake an outage: the next `times` requests matching method and path get
   * `status` (Stripe's api_error shape). `retry: false` sends Stripe-Should-Retry: false, so
   * the SDK gives up at once instead of retrying.
   */
  readonly faults: { method: string; path: string | RegExp; status: number; times: number; retry?: boolean }[] = [];
  webhookUrl: string | null;
  webhookSecret: string;
  refundStatus: "succeeded" | "pending";
  /** Base URL, e.g. http://127.0.0.1:12111; set once listening. */
  url = "";
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: string }>();
  private readonly signer = new Stripe(TEST_SECRET_KEY);
  private readonly server: http.Server;

  constructor(options: StripeTestServerOptions = {}) {
    this.webhookUrl = options.webhookUrl ?? null;
    this.webhookSecret = options.webhookSecret ?? TEST_WEBHOOK_SECRET;
    this.refundStatus = options.refundStatus ?? "succeeded";
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            error: { type: "api_error", message: error instanceof Error ? error.message : String(error) },
          }),
        );
      });
    });
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests to one endpoint, e.g. requestsTo("POST", "/v1/checkout/sessions"). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)),
    );
  }

  session(sessionId: string): CheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no such session ${sessionId}`);
    return session;
  }

  // ---- What happens at Stripe when the buyer acts --------------------------------------

  /**
   * The buyer pays: the session completes with a PaymentIntent and a charge. `delayed`
   * leaves payment_status "unpaid" (an asynchronous method) until asyncSucceed/asyncFail.
   */
  pay(
    sessionId: string,
    { method = "wechat_pay", delayed = false }: { method?: string; delayed?: boolean } = {},
  ): CheckoutSession {
    const session = this.session(sessionId);
    if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}, not open`);
    const intentData = asObject(session.__payment_intent_data);
    const pi = id("pi");
    const charge = id("ch");
    const amount = session.amount_total;
    this.paymentIntents.set(pi, {
      id: pi,
      object: "payment_intent",
      amount,
      amount_received: delayed ? 0 : amount,
      currency: String(session.currency),
      created: now(),
      latest_charge: charge,
      livemode: false,
      metadata: asObject(intentData.metadata),
      payment_method_types: [method],
      status: delayed ? "processing" : "succeeded",
      transfer_group: asString(intentData.transfer_group),
    });
    this.charges.set(charge, {
      id: charge,
      object: "charge",
      amount,
      amount_captured: delayed ? 0 : amount,
      amount_refunded: 0,
      captured: !delayed,
      created: now(),
      currency: String(session.currency),
      livemode: false,
      metadata: asObject(intentData.metadata),
      paid: !delayed,
      payment_intent: pi,
      payment_method_details: { type: method },
      refunded: false,
      status: delayed ? "pending" : "succeeded",
      transfer_group: asString(intentData.transfer_group),
    });
    Object.assign(session, {
      status: "complete",
      payment_status: delayed ? "unpaid" : "paid",
      payment_intent: pi,
      url: null,
      customer_details: { email: null, name: "测试买家", phone: null, address: null, tax_exempt: "none", tax_ids: [] },
    });
    return session;
  }

  asyncSucceed(sessionId: string): CheckoutSession {
    const session = this.session(sessionId);
    const pi = this.paymentIntents.get(String(session.payment_intent))!;
    Object.assign(pi, { status: "succeeded", amount_received: pi.amount });
    Object.assign(this.charges.get(String(pi.latest_charge))!, {
      status: "succeeded",
      paid: true,
      captured: true,
      amount_captured: pi.amount,
    });
    session.payment_status = "paid";
    return session;
  }

  asyncFail(sessionId: string): CheckoutSession {
    const session = this.session(sessionId);
    const pi = this.paymentIntents.get(String(session.payment_intent))!;
    Object.assign(pi, { status: "requires_payment_method" });
    Object.assign(this.charges.get(String(pi.latest_charge))!, { status: "failed", paid: false });
    return session;
  }

  /** Stripe gives up on an open session (its expires_at passed). */
  expire(sessionId: string): CheckoutSession {
    const session = this.session(sessionId);
    if (session.status !== "open") throw new Error(`session ${sessionId} is ${session.status}, not open`);
    Object.assign(session, { status: "expired", url: null });
    return session;
  }

  /** A pending refund is settled by the payment network. */
  settleRefund(refundId: string, status: "succeeded" | "failed" = "succeeded"): JsonObject {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`no such refund ${refundId}`);
    refund.status = status;
    if (status === "failed") {
      refund.failure_reason = "unknown";
      const charge = this.charges.get(String(refund.charge))!;
      charge.amount_refunded = Number(charge.amount_refunded) - Number(refund.amount);
      charge.refunded = false;
    }
    return refund;
  }

  // ---- Events ----------------------------------------------------------------------------

  /** An event as Stripe sends it, with a snapshot of the object at this moment. */
  event(type: string, object: JsonObject, previousAttributes?: JsonObject): Stripe.Event {
    return {
      id: id("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object: publicView(object), ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
  }

  /** checkout.session.completed / async_payment_succeeded / async_payment_failed / expired for a session. */
  sessionEvent(
    type:
      | "checkout.session.completed"
      | "checkout.session.async_payment_succeeded"
      | "checkout.session.async_payment_failed"
      | "checkout.session.expired",
    sessionId: string,
  ): Stripe.Event {
    return this.event(type, this.session(sessionId));
  }

  /** charge.refunded for the charge of a payment intent (as of API 2022-11-15 the charge does not list its refunds). */
  chargeRefundedEvent(paymentIntentId: string): Stripe.Event {
    const pi = this.paymentIntents.get(paymentIntentId);
    if (!pi) throw new Error(`no such payment intent ${paymentIntentId}`);
    return this.event("charge.refunded", this.charges.get(String(pi.latest_charge))!);
  }

  /** The body and Stripe-Signature header of an event, signed with the webhook secret. */
  sign(
    event: Stripe.Event,
    { secret = this.webhookSecret, timestamp }: { secret?: string; timestamp?: number } = {},
  ): { payload: string; signature: string } {
    const payload = JSON.stringify(event, null, 2);
    return {
      payload,
      signature: this.signer.webhooks.generateTestHeaderString({
        payload,
        secret,
        ...(timestamp ? { timestamp } : {}),
      }),
    };
  }

  /** Sends a signed event to the webhook URL as Stripe would; resolves with the answer's status. */
  async deliver(event: Stripe.Event, url = this.webhookUrl): Promise<number | null> {
    if (!url) throw new Error("no webhook URL configured");
    const { payload, signature } = this.sign(event);
    const record: WebhookDelivery = { eventId: event.id, type: event.type, url, status: null, error: null };
    this.deliveries.push(record);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          "Stripe-Signature": signature,
          "User-Agent": "Stripe/1.0 (test server)",
        },
        body: payload,
      });
      await response.arrayBuffer();
      record.status = response.status;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    return record.status;
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stripe.test");
    const raw = await readBody(req);
    if (url.pathname.startsWith("/pay/")) return this.hostedPage(req, res, url, raw);
    const method = req.method ?? "GET";
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : null;
    };
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: expandForm(url.searchParams),
      body: expandForm(new URLSearchParams(raw)),
      idempotencyKey: header("idempotency-key"),
      authorization: header("authorization"),
      stripeVersion: header("stripe-version"),
      status: 0,
      replayed: false,
    };
    this.requests.push(record);
    const send = (status: number, body: string, replayed = false) => {
      record.status = status;
      record.replayed = replayed;
      res.writeHead(status, {
        "Content-Type": "application/json",
        "Request-Id": id("req", 14),
        ...(record.stripeVersion ? { "Stripe-Version": record.stripeVersion } : {}),
        ...(replayed ? { "Idempotent-Replayed": "true" } : {}),
        ...(record.idempotencyKey ? { "Idempotency-Key": record.idempotencyKey } : {}),
      });
      res.end(body);
    };
    // Like Stripe: the key as a Bearer token, or as the user name of Basic auth (curl -u sk_test_…:).
    const basic = record.authorization?.match(/^Basic (\S+)$/)?.[1];
    const key =
      record.authorization?.match(/^Bearer (\S+)$/)?.[1] ??
      (basic ? Buffer.from(basic, "base64").toString().split(":")[0] : undefined);
    if (!key || !/^(sk|rk)_test_/.test(key)) {
      return send(
        401,
        JSON.stringify({
          error: { type: "invalid_request_error", message: `Invalid API Key provided: ${key ?? "(none)"}` },
        }),
      );
    }
    const fault = this.faults.find(
      (f) =>
        f.times > 0 &&
        f.method === method &&
        (typeof f.path === "string" ? f.path === url.pathname : f.path.test(url.pathname)),
    );
    if (fault) {
      fault.times--;
      if (fault.retry === false) res.setHeader("Stripe-Should-Retry", "false");
      return send(
        fault.status,
        JSON.stringify({ error: { type: "api_error", message: "The test server was told to fail this request." } }),
      );
    }
    const idemKey = method === "POST" && record.idempotencyKey ? `${key} ${record.idempotencyKey}` : null;
    const fingerprint = `${method} ${url.pathname} ${raw}`;
    if (idemKey) {
      const seen = this.idempotent.get(idemKey);
      if (seen && seen.fingerprint !== fingerprint) {
        return send(
          400,
          JSON.stringify({
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${record.idempotencyKey}' if you meant to execute a different request.`,
            },
          }),
        );
      }
      if (seen) return send(seen.status, seen.body, true);
    }
    try {
      const result = this.handle(method, url, record);
      const body = JSON.stringify(result, null, 2);
      if (idemKey) this.idempotent.set(idemKey, { fingerprint, status: 200, body });
      return send(200, body);
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      return send(
        error.status,
        JSON.stringify({ error: { type: error.type, message: error.message, ...error.extra } }),
      );
    }
  }

  private handle(method: string, url: URL, request: RecordedRequest): Json {
    const parts = url.pathname.split("/").filter(Boolean);
    const route = `${method} /${parts.map((p, i) => (i >= 2 && /^(cs|pi|re|tr)_/.test(p) ? ":id" : p)).join("/")}`;
    const target = parts.find((p, i) => i >= 2 && /^(cs|pi|re|tr)_/.test(p)) ?? "";
    switch (route) {
      case "POST /v1/checkout/sessions":
        return publicView(this.createSession(request.body));
      case "GET /v1/checkout/sessions/:id":
        return publicView(this.found(this.sessions, target, "checkout.session"));
      case "GET /v1/checkout/sessions/:id/line_items": {
        this.found(this.sessions, target, "checkout.session");
        return list(
          `/v1/checkout/sessions/${target}/line_items`,
          (this.lineItems.get(target) ?? []).map((item) => ({
            id: id("li"),
            object: "item",
            amount_subtotal: item.unitAmount * item.quantity,
            amount_total: item.unitAmount * item.quantity,
            currency: item.currency,
            description: item.name,
            quantity: item.quantity,
            price: { object: "price", currency: item.currency, unit_amount: item.unitAmount, type: "one_time" },
          })),
        );
      }
      case "POST /v1/checkout/sessions/:id/expire": {
        const session = this.found(this.sessions, target, "checkout.session") as CheckoutSession;
        if (session.status !== "open") {
          throw new StripeError(
            400,
            "invalid_request_error",
            `Only Checkout Sessions with a status in ["open"] can be expired.`,
          );
        }
        return publicView(this.expire(target));
      }
      case "GET /v1/payment_intents/:id":
        return publicView(this.found(this.paymentIntents, target, "payment_intent"));
      case "POST /v1/refunds":
        return this.createRefund(request.body);
      case "GET /v1/refunds": {
        const pi = asString(request.query.payment_intent);
        return list("/v1/refunds", [...this.refunds.values()].filter((r) => !pi || r.payment_intent === pi).reverse());
      }
      case "GET /v1/refunds/:id":
        return this.found(this.refunds, target, "refund");
      case "POST /v1/transfers":
        return this.createTransfer(request.body);
      case "GET /v1/transfers/:id":
        return this.found(this.transfers, target, "transfer");
      default:
        throw new StripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${url.pathname}).`);
    }
  }

  private found<T>(map: Map<string, T>, key: string, kind: string): T {
    const value = map.get(key);
    if (!value)
      throw new StripeError(404, "invalid_request_error", `No such ${kind}: '${key}'`, {
        code: "resource_missing",
        param: "id",
      });
    return value;
  }

  private createSession(body: JsonObject): CheckoutSession {
    const mode = required(body.mode, "mode");
    if (mode !== "payment")
      throw new StripeError(
        400,
        "invalid_request_error",
        `This test server only does mode=payment (got ${String(mode)}).`,
        { param: "mode" },
      );
    const successUrl = asString(required(body.success_url, "success_url"));
    const methods = asArray(body.allowed_payment_method_types ?? body.payment_method_types).map(String);
    const options = asObject(body.payment_method_options);
    if (methods.includes("wechat_pay") && !asObject(options.wechat_pay).client) {
      throw new StripeError(
        400,
        "invalid_request_error",
        "payment_method_options[wechat_pay][client] is required when wechat_pay is enabled.",
        { param: "payment_method_options[wechat_pay][client]" },
      );
    }
    const items = asArray(required(body.line_items, "line_items")).map((raw, index): StoredLineItem => {
      const item = asObject(raw);
      const price = asObject(item.price_data);
      const param = `line_items[${index}]`;
      return {
        name: String(required(asObject(price.product_data).name, `${param}[price_data][product_data][name]`)),
        unitAmount: asInt(
          required(price.unit_amount, `${param}[price_data][unit_amount]`),
          `${param}[price_data][unit_amount]`,
        ),
        quantity: asInt(required(item.quantity, `${param}[quantity]`), `${param}[quantity]`, { min: 1 }),
        currency: String(required(price.currency, `${param}[price_data][currency]`)).toLowerCase(),
      };
    });
    const currency = String(body.currency ?? items[0]?.currency ?? "").toLowerCase();
    if (items.some((i) => i.currency !== currency)) {
      throw new StripeError(
        400,
        "invalid_request_error",
        "All line items must be in the same currency as the session.",
        { param: "line_items" },
      );
    }
    if (
      methods.includes("wechat_pay") &&
      !["cny", "aud", "cad", "eur", "gbp", "hkd", "jpy", "sgd", "usd", "dkk", "nok", "sek", "chf"].includes(currency)
    ) {
      throw new StripeError(400, "invalid_request_error", `wechat_pay does not support ${currency}.`, {
        param: "currency",
      });
    }
    const created = now();
    const expiresAt = body.expires_at === undefined ? created + 86_400 : asInt(body.expires_at, "expires_at");
    if (expiresAt < created + 30 * 60 || expiresAt > created + 86_400) {
      throw new StripeError(
        400,
        "invalid_request_error",
        "The `expires_at` timestamp must be at least 30 minutes and at most 24 hours from Checkout Session creation.",
        { param: "expires_at" },
      );
    }
    const amount = items.reduce((sum, i) => sum + i.unitAmount * i.quantity, 0);
    const sessionId = `cs_test_${randomBytes(30).toString("base64url").replace(/[-_]/g, "").slice(0, 58)}`;
    const session: CheckoutSession = {
      id: sessionId,
      object: "checkout.session",
      after_expiration: null,
      allow_promotion_codes: null,
      allowed_payment_method_types: methods.length ? methods : null,
      amount_subtotal: amount,
      amount_total: amount,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: null,
      cancel_url: asString(body.cancel_url),
      client_reference_id: asString(body.client_reference_id),
      client_secret: null,
      consent: null,
      created,
      currency,
      custom_fields: [],
      customer: null,
      customer_creation: "if_required",
      customer_details: null,
      customer_email: null,
      expires_at: expiresAt,
      invoice: null,
      livemode: false,
      locale: asString(body.locale),
      metadata: asObject(body.metadata),
      mode: "payment",
      payment_intent: null,
      payment_link: null,
      payment_method_collection: "if_required",
      payment_method_options: options,
      payment_method_types: methods.length ? methods : ["card"],
      payment_status: "unpaid",
      phone_number_collection: { enabled: false },
      recovered_from: null,
      shipping_address_collection: null,
      status: "open",
      submit_type: null,
      success_url: successUrl,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: "hosted",
      url: `${this.url}/pay/${sessionId}`,
      __payment_intent_data: asObject(body.payment_intent_data),
    };
    this.sessions.set(sessionId, session);
    this.lineItems.set(sessionId, items);
    return session;
  }

  private createRefund(body: JsonObject): Json {
    const piId = asString(body.payment_intent);
    const chargeId = asString(body.charge);
    if (!piId && !chargeId)
      throw new StripeError(400, "invalid_request_error", "One of `charge` or `payment_intent` is required.");
    const pi = piId ? this.found(this.paymentIntents, piId, "payment_intent") : null;
    const charge = this.found(this.charges, chargeId ?? String(pi!.latest_charge), "charge");
    if (charge.status !== "succeeded")
      throw new StripeError(400, "invalid_request_error", "This charge has not succeeded and cannot be refunded.", {
        code: "charge_not_refundable",
      });
    const left = Number(charge.amount) - Number(charge.amount_refunded);
    const amount = body.amount === undefined ? left : asInt(body.amount, "amount", { min: 1 });
    if (left <= 0)
      throw new StripeError(400, "invalid_request_error", `Charge ${String(charge.id)} has already been refunded.`, {
        code: "charge_already_refunded",
      });
    if (amount > left) {
      throw new StripeError(
        400,
        "invalid_request_error",
        `Refund amount (¥${amount / 100}) is greater than unrefunded amount on charge (¥${left / 100})`,
        { code: "amount_too_large", param: "amount" },
      );
    }
    charge.amount_refunded = Number(charge.amount_refunded) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const refund: JsonObject = {
      id: id("re"),
      object: "refund",
      amount,
      balance_transaction: id("txn"),
      charge: String(charge.id),
      created: now(),
      currency: String(charge.currency),
      metadata: asObject(body.metadata),
      payment_intent: String(charge.payment_intent),
      reason: asString(body.reason),
      receipt_number: null,
      source_transfer_reversal: null,
      status: this.refundStatus,
      transfer_reversal: null,
    };
    this.refunds.set(String(refund.id), refund);
    return refund;
  }

  private createTransfer(body: JsonObject): Json {
    const amount = asInt(required(body.amount, "amount"), "amount", { min: 1 });
    const currency = String(required(body.currency, "currency")).toLowerCase();
    const destination = String(required(body.destination, "destination"));
    if (!destination.startsWith("acct_"))
      throw new StripeError(400, "invalid_request_error", `No such destination: '${destination}'`, {
        code: "resource_missing",
        param: "destination",
      });
    const transfer: JsonObject = {
      id: id("tr"),
      object: "transfer",
      amount,
      amount_reversed: 0,
      balance_transaction: id("txn"),
      created: now(),
      currency,
      description: asString(body.description),
      destination,
      destination_payment: id("py"),
      livemode: false,
      metadata: asObject(body.metadata),
      reversals: { object: "list", data: [], has_more: false, url: "/v1/transfers/reversals" },
      reversed: false,
      source_transaction: asString(body.source_transaction),
      source_type: "card",
      transfer_group: asString(body.transfer_group),
    };
    this.transfers.set(String(transfer.id), transfer);
    return transfer;
  }

  // ---- The hosted payment page ---------------------------------------------------------

  private async hostedPage(req: http.IncomingMessage, res: http.ServerResponse, url: URL, raw: string): Promise<void> {
    const sessionId = decodeURIComponent(url.pathname.slice("/pay/".length));
    const session = this.sessions.get(sessionId);
    const html = (status: number, body: string) => {
      res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Stripe Checkout (test)</title></head><body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">${body}</body></html>`,
      );
    };
    if (!session) return html(404, "<h1>Unknown session</h1>");
    if (req.method === "POST") {
      if (session.status !== "open") return html(410, `<h1>This session is ${escapeHtml(session.status)}</h1>`);
      const form = new URLSearchParams(raw);
      const method = form.get("method") ?? "wechat_pay";
      this.pay(sessionId, { method });
      if (this.webhookUrl) await this.deliver(this.sessionEvent("checkout.session.completed", sessionId));
      res.writeHead(303, { Location: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", sessionId) });
      return void res.end();
    }
    if (session.status !== "open") return html(410, `<h1>This session is ${escapeHtml(session.status)}</h1>`);
    const items = (this.lineItems.get(sessionId) ?? [])
      .map((i) => `<li>${escapeHtml(i.name)} × ${i.quantity} — ¥${((i.unitAmount * i.quantity) / 100).toFixed(2)}</li>`)
      .join("");
    const methods = (session.payment_method_types as string[])
      .map(
        (m, i) =>
          `<label><input type="radio" name="method" value="${escapeHtml(m)}"${i === 0 ? " checked" : ""}> ${escapeHtml(m)}</label><br>`,
      )
      .join("");
    return html(
      200,
      `<h1>Stripe Checkout (test)</h1><ul>${items}</ul><p>Total <strong data-testid="total">¥${(session.amount_total / 100).toFixed(2)}</strong></p>
<form method="post">${methods}<button type="submit">Pay ¥${(session.amount_total / 100).toFixed(2)}</button></form>
${session.cancel_url ? `<p><a href="${escapeHtml(String(session.cancel_url))}">Cancel</a></p>` : ""}`,
    );
  }
}

/** Stripe's objects without this server's private fields. */
function publicView(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(clone(object)).filter(([key]) => !key.startsWith("__")));
}

function list(url: string, data: Json[]): JsonObject {
  return { object: "list", data, has_more: false, url };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts a test server (port 0 = any free port); `url` is its base URL. */
export async function startStripeTestServer(options: StripeTestServerOptions = {}): Promise<StripeTestServer> {
  return new StripeTestServer(options).listen(options.port ?? 0, options.host ?? "127.0.0.1");
}

// As a process of its own (end-to-end runs, the bench, trying the app by hand).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "12111" },
      host: { type: "string", default: "127.0.0.1" },
      "webhook-url": { type: "string" },
      "webhook-secret": { type: "string", default: TEST_WEBHOOK_SECRET },
    },
  });
  const server = await startStripeTestServer({
    port: Number(values.port),
    host: values.host,
    webhookUrl: values["webhook-url"] ?? null,
    webhookSecret: values["webhook-secret"],
  });
  console.log(
    `Stripe test server on ${server.url} (STRIPE_API_BASE=${server.url}, STRIPE_SECRET_KEY=${TEST_SECRET_KEY}, STRIPE_WEBHOOK_SECRET=${server.webhookSecret})`,
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => void server.close().then(() => process.exit(0)));
}
