import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

// The reference logistics partner (issue #10): what a partner's developers build, in one file.
//  1. A webhook receiver: verifies each push with the standardwebhooks package (401 if the
//     signature, the timestamp or the body is wrong), records the message id and ignores a
//     repeat of one it has seen (the platform sends at least once, under the same webhook-id).
//  2. A feed reader: pages through GET /api/logistics/v1/shipments with the cursor it kept
//     from last time, and accepts each newly assigned shipment with its own waybill number.
//  3. A courier: reports each accepted shipment's next event (picked_up, at_hub,
//     out_for_delivery, then in_locker with a code for locker deliveries, then delivered, with
//     the cash collected for cash-on-delivery), each with an eventId made from the waybill and
//     the step, so a retried report is the same event and the platform ignores the repeat.
// Run by `npm run logistics:partner-sim` (scripts/logistics-partner-sim.ts) on timers; tests
// call sync() and step() themselves, so nothing depends on time.

export interface SimOptions {
  /** The platform's origin, e.g. http://localhost:3000. */
  base: string;
  /** The partner's API key (lk_…). */
  key: string;
  /** Signing secrets the pushes may be signed with (whsec_…); during a rotation give both. */
  secrets: string[];
  /** Where the receiver listens (0: any free port). */
  port?: number;
  host?: string;
  /** The waybill numbers' prefix; numbers follow in order (deterministic). */
  waybillPrefix?: string;
  carrier?: string;
  /** The clock events are dated by. */
  now?: () => Date;
  log?: (line: string) => void;
}

type Step = "picked_up" | "at_hub" | "out_for_delivery" | "in_locker" | "delivered";

interface Tracked {
  id: string;
  orderNumber: string;
  waybillNo: string;
  delivery: string;
  codAmountFen: number;
  done: Step[];
  lastAt: number;
}

export interface ReceivedMessage {
  id: string;
  type: string;
  shipmentId: string | null;
  duplicate: boolean;
}

interface FeedShipment {
  id: string;
  orderNumber: string;
  status: string;
  delivery: string;
  codAmountFen: number;
  waybillNo: string | null;
}

export class PartnerSim {
  readonly received: ReceivedMessage[] = [];
  readonly rejectedPushes: number[] = [];
  readonly tracked = new Map<string, Tracked>();
  private readonly seen = new Set<string>();
  private readonly cancelled = new Set<string>();
  private cursor: string | null = null;
  private waybills = 0;
  private server: http.Server | null = null;
  url = "";

  constructor(private readonly options: SimOptions) {}

  private get now() {
    return this.options.now ?? (() => new Date());
  }

  private log(line: string) {
    this.options.log?.(line);
  }

  /** Starts the webhook receiver; its URL is `${sim.url}` (POST). */
  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const { status, body } = this.receive(Buffer.concat(chunks).toString("utf8"), req.headers);
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${this.options.host ?? "127.0.0.1"}:${port}/webhooks/yicun`;
    return this.url;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** One push: verified against every secret we hold; a repeat of a seen webhook-id is acknowledged and ignored. */
  receive(body: string, headers: http.IncomingHttpHeaders): { status: number; body: unknown } {
    const wh = {
      "webhook-id": String(headers["webhook-id"] ?? ""),
      "webhook-timestamp": String(headers["webhook-timestamp"] ?? ""),
      "webhook-signature": String(headers["webhook-signature"] ?? ""),
    };
    type Message = { type?: string; data?: { id?: string } };
    const verify = (secret: string): Message | null => {
      try {
        return new Webhook(secret).verify(body, wh) as Message;
      } catch {
        return null;
      }
    };
    const message = this.options.secrets.map(verify).find((m) => m !== null) ?? null;
    if (!message) {
      this.rejectedPushes.push(Date.now());
      return { status: 401, body: { error: "bad signature" } };
    }
    const id = wh["webhook-id"];
    const duplicate = this.seen.has(id);
    this.seen.add(id);
    const shipmentId = message.data?.id ?? null;
    this.received.push({ id, type: message.type ?? "", shipmentId, duplicate });
    if (!duplicate && message.type === "shipment.cancelled" && shipmentId) {
      this.cancelled.add(shipmentId);
      this.tracked.delete(shipmentId);
    }
    this.log(`push ${id} ${message.type}${duplicate ? " (repeat, ignored)" : ""}`);
    return { status: 200, body: { ok: true } };
  }

  private async api(path: string, init: { method?: string; body?: unknown } = {}) {
    const response = await fetch(`${this.options.base.replace(/\/$/, "")}/api/logistics/v1${path}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${this.options.key}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
      body: init.body ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  }

  /** Pages through the feed from the kept cursor and accepts what is newly assigned. Returns how many it accepted. */
  async sync(): Promise<number> {
    let accepted = 0;
    for (;;) {
      const query = new URLSearchParams({ limit: "100" });
      if (this.cursor) query.set("cursor", this.cursor);
      const { status, json } = await this.api(`/shipments?${query}`);
      if (status !== 200) {
        this.log(`feed: HTTP ${status}, later`);
        return accepted;
      }
      const page = json as { shipments: FeedShipment[]; nextCursor: string | null; hasMore?: boolean };
      for (const s of page.shipments) if (await this.consider(s)) accepted++;
      // Keep the cursor (the next sync starts there); the last page is the end for now.
      if (page.nextCursor) this.cursor = page.nextCursor;
      if (!page.nextCursor || page.hasMore === false || page.shipments.length === 0) return accepted;
    }
  }

  private async consider(s: FeedShipment): Promise<boolean> {
    if (this.tracked.has(s.id) || this.cancelled.has(s.id)) return false;
    if (s.status === "accepted" && s.waybillNo) {
      this.track(s, s.waybillNo); // accepted before a restart of ours
      return false;
    }
    if (s.status !== "assigned") return false;
    this.waybills++;
    const waybillNo = `${this.options.waybillPrefix ?? "SIM"}${String(this.waybills).padStart(8, "0")}`;
    const { status } = await this.api(`/shipments/${s.id}/accept`, {
      method: "POST",
      body: { waybillNo, carrier: this.options.carrier ?? "参考物流" },
    });
    if (status !== 200) {
      this.log(`accept ${s.orderNumber}: HTTP ${status}`);
      return false;
    }
    this.track(s, waybillNo);
    this.log(`accepted ${s.orderNumber} as ${waybillNo}`);
    return true;
  }

  private track(s: FeedShipment, waybillNo: string) {
    this.tracked.set(s.id, {
      id: s.id,
      orderNumber: s.orderNumber,
      waybillNo,
      delivery: s.delivery,
      codAmountFen: s.codAmountFen,
      done: [],
      lastAt: 0,
    });
  }

  private plan(t: Tracked): Step[] {
    return t.delivery === "locker"
      ? ["picked_up", "at_hub", "out_for_delivery", "in_locker", "delivered"]
      : ["picked_up", "at_hub", "out_for_delivery", "delivered"];
  }

  /** Reports the next event of every tracked shipment (a failed report is tried again next step). Returns how many were reported. */
  async step(): Promise<number> {
    let reported = 0;
    for (const t of [...this.tracked.values()]) {
      const next = this.plan(t)[t.done.length];
      if (!next) {
        this.tracked.delete(t.id);
        continue;
      }
      const at = new Date(Math.max(this.now().getTime(), t.lastAt + 1000));
      const event: Record<string, unknown> = { eventId: `${t.waybillNo}-${next}`, type: next, at: at.toISOString() };
      if (next === "in_locker") event.lockerCode = t.waybillNo.slice(-6);
      if (next === "delivered" && t.codAmountFen > 0) event.codCollectedFen = t.codAmountFen;
      const { status } = await this.api(`/shipments/${t.id}/events`, { method: "POST", body: event });
      if (status === 200 || status === 201) {
        t.done.push(next);
        t.lastAt = at.getTime();
        reported++;
        this.log(`${t.waybillNo} ${next}`);
      } else if (status === 404) this.tracked.delete(t.id);
      else this.log(`${t.waybillNo} ${next}: HTTP ${status}, again next step`);
    }
    return reported;
  }
}
