// The simulated buyers of `npm run drill` (scripts/drill.ts): each one a keep-alive connection of its
// own through nginx, browsing (home, shop, product pages), searching and checking out as the pages'
// forms do without JavaScript: "add to cart" posts /cart/add, the checkout page gives the form's
// checkoutKey and total, "place order" posts /checkout with offline payment (cash on delivery).
// Every answer is recorded with its time, so the drill can judge what happened around each event.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** What a buyer did: a page (GET), an add to cart, or a "place order". */
export type Step = "get" | "add" | "place";

/**
 * How a request ended: `ok` (served; an order placed for "place"), `refused` (a clear answer that
 * changes nothing: sold out, changed, cart empty), `cut` (a POST nginx answered 502 and could not
 * retry: fine only when the database shows no order for its checkoutKey; or a GET whose answer had
 * begun when its connection broke), `failed` (anything else).
 */
export type Result = "ok" | "refused" | "cut" | "failed";

export interface Outcome {
  step: Step;
  /** Milliseconds since the load started, when the request was sent. */
  at: number;
  ms: number;
  status: number;
  result: Result;
  /** The kind of failure or refusal ("502", "ECONNRESET", "soldOut", "changed" …). */
  detail: string;
  path: string;
  node?: string;
  checkoutKey?: string;
  orderNumber?: string;
}

/** A product the buyers may check out: its variant, shop and page. */
export interface LastUnits {
  variantId: string;
  shopId: string;
  page: string;
}

export interface BuyerPlan {
  base: string;
  /** Pages to browse (paths). */
  pages: string[];
  /** Words to search for. */
  words: string[];
  /** The products whose last units the buyers rush for. */
  products: LastUnits[];
  /** Share of a buyer's steps that are a checkout attempt (0..1). */
  checkoutShare: number;
  /** Pause between a buyer's steps, milliseconds [min, max]. */
  thinkMs: [number, number];
}

interface Answer {
  status: number;
  location: string;
  body: string;
  node?: string;
  setCookies: string[];
}

const TIMEOUT_MS = 30_000;

/** One buyer: a browser's connection (keep-alive, one at a time) and its cookies. */
class Buyer {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  cookies = new Map<string, string>();

  constructor(
    private readonly base: URL,
    private readonly record: (outcome: Outcome) => void,
    private readonly clock: () => number,
  ) {}

  send(method: "GET" | "POST", path: string, form?: Record<string, string>): Promise<Answer> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: Record<string, string> = { "accept-language": "zh-CN" };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      // What a browser sends with a form posted from the site's own page (the CSRF check's proof).
      headers["sec-fetch-site"] = "same-origin";
    }
    return new Promise<Answer>((resolve, reject) => {
      const request = http.request(
        { host: this.base.hostname, port: this.base.port, path, method, agent: this.agent, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          // The answer had begun when the connection broke: no balancer can retry it any more.
          const cut = (error: Error) => reject(Object.assign(error, { answerBegun: response.statusCode ?? 0 }));
          response.on("error", cut);
          response.on("aborted", () => cut(new Error("aborted")));
          response.on("end", () => {
            const setCookies = response.headers["set-cookie"] ?? [];
            for (const line of setCookies) {
              const [pair] = line.split(";");
              const eq = pair!.indexOf("=");
              if (eq > 0) this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
            }
            resolve({
              status: response.statusCode ?? 0,
              location: String(response.headers.location ?? ""),
              body: Buffer.concat(chunks).toString("utf8"),
              node: response.headers["x-node"] as string | undefined,
              setCookies,
            });
          });
        },
      );
      request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error("timeout")));
      request.on("error", reject);
      request.end(body);
    });
  }

  /** Sends and records; `judge` tells a served answer's result. Resolves with the answer, or null after a failure. */
  async step(
    step: Step,
    method: "GET" | "POST",
    path: string,
    form: Record<string, string> | undefined,
    judge: (answer: Answer) => Pick<Outcome, "result" | "detail"> & Partial<Outcome>,
  ): Promise<Answer | null> {
    const at = this.clock();
    const started = performance.now();
    try {
      const answer = await this.send(method, path, form);
      const verdict =
        answer.status >= 500
          ? {
              result: (method === "POST" && answer.status === 502 ? "cut" : "failed") as Result,
              detail: String(answer.status),
            }
          : judge(answer);
      this.record({
        step,
        at,
        ms: performance.now() - started,
        status: answer.status,
        path,
        node: answer.node,
        ...verdict,
      });
      return verdict.result === "ok" || verdict.result === "refused" ? answer : null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      const begun = (error as { answerBegun?: number }).answerBegun;
      this.record({
        step,
        at,
        ms: performance.now() - started,
        status: begun ?? 0,
        path,
        // A GET cut after its answer began is "cut" (the drill allows it only for a node killed mid-answer).
        result: begun !== undefined && method === "GET" ? "cut" : "failed",
        detail: begun !== undefined ? `${code} after ${begun}` : code,
      });
      // A connection that failed is not reused.
      this.agent.destroy();
      return null;
    }
  }
}

const served = (answer: Answer) =>
  answer.status === 200
    ? { result: "ok" as const, detail: "" }
    : { result: "failed" as const, detail: String(answer.status) };

/** The value of a hidden input in a page, or null. */
export function hiddenValue(html: string, name: string): string | null {
  const match = new RegExp(`name="${name.replace(/[.[\]]/g, "\\$&")}" value="([^"]*)"`).exec(html);
  return match ? match[1]! : null;
}

/**
 * A buyer's checkout of one unit of `product`: add to cart, open the checkout, place the order.
 * The buyer comes back as a new visitor afterwards (fresh cookies), so one sold-out line never
 * blocks its later attempts.
 */
async function checkout(buyer: Buyer, product: LastUnits, n: number): Promise<void> {
  try {
    const added = await buyer.step(
      "add",
      "POST",
      "/cart/add",
      { variantId: product.variantId, quantity: "1", redirectTo: product.page },
      (answer) => {
        if (answer.status !== 302 && answer.status !== 303) return { result: "failed", detail: String(answer.status) };
        if (answer.location.includes("added=1")) return { result: "ok", detail: "" };
        const error = /cartError=([A-Za-z]+)/.exec(answer.location)?.[1];
        return error ? { result: "refused", detail: error } : { result: "failed", detail: answer.location };
      },
    );
    if (!added || !added.location.includes("added=1")) return;
    const page = await buyer.step("get", "GET", "/checkout", undefined, served);
    if (!page) return;
    const checkoutKey = hiddenValue(page.body, "checkoutKey");
    const total = hiddenValue(page.body, "expectedTotalFen");
    if (!checkoutKey || !total) return; // the cart emptied meanwhile (nothing to place)
    await buyer.step(
      "place",
      "POST",
      "/checkout",
      {
        intent: "place",
        contactName: "演练买家",
        contactPhone: `139${String(10_000_000 + (n % 90_000_000)).slice(-8)}`,
        "shops[0].shopId": product.shopId,
        "shops[0].delivery": "HOME",
        "shops[0].addressRegion": "江苏省 南京市 玄武区",
        "shops[0].addressLine": `北京东路 ${n} 号`,
        provider: "OFFLINE",
        offlineMethod: "COD",
        checkoutKey,
        expectedTotalFen: total,
      },
      (answer) => {
        const number = /^\/orders\/([A-Za-z0-9]+)/.exec(answer.location)?.[1];
        if ((answer.status === 302 || answer.status === 303) && number)
          return { result: "ok", detail: "", orderNumber: number, checkoutKey };
        if (answer.status === 409) return { result: "refused", detail: "changed", checkoutKey };
        if ((answer.status === 302 || answer.status === 303) && answer.location.startsWith("/checkout"))
          return { result: "refused", detail: "empty", checkoutKey };
        return { result: "failed", detail: String(answer.status), checkoutKey };
      },
    );
  } finally {
    buyer.cookies.clear();
  }
}

/** Records of a load: every outcome, in the order answered. */
export interface Load {
  outcomes: Outcome[];
  /** Milliseconds since the load started. */
  clock: () => number;
  stop(): void;
  /** Resolves when every buyer has finished its current step. */
  done: Promise<void>;
}

/** Starts `count` buyers following `plan` until stop(). */
export function startBuyers(count: number, plan: BuyerPlan): Load {
  const outcomes: Outcome[] = [];
  const started = performance.now();
  const clock = () => performance.now() - started;
  const base = new URL(plan.base);
  let stopped = false;
  let attempts = 0;
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const buyers = Array.from({ length: count }, async (_, i) => {
    const buyer = new Buyer(base, (outcome) => outcomes.push(outcome), clock);
    // Arrivals spread over the first second rather than 200 connections in the same instant.
    await sleep(Math.random() * 1_000);
    while (!stopped) {
      const roll = Math.random();
      if (roll < plan.checkoutShare) await checkout(buyer, pick(plan.products), attempts++ * 1000 + i);
      else if (roll < plan.checkoutShare + 0.15)
        await buyer.step("get", "GET", `/search?q=${encodeURIComponent(pick(plan.words))}`, undefined, served);
      else await buyer.step("get", "GET", pick(plan.pages), undefined, served);
      const [min, max] = plan.thinkMs;
      if (max > 0) await sleep(min + Math.random() * (max - min));
    }
    buyer.agent.destroy();
  });
  return {
    outcomes,
    clock,
    stop: () => {
      stopped = true;
    },
    done: Promise.all(buyers).then(() => undefined),
  };
}

/** The value at fraction `q` (0..1) of sorted `values`, or 0 when empty. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
