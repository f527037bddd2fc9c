import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { placeOrder } from "~/modules/checkout/place-order.cross-shop.server";
import { sweepExpiredOrders } from "~/modules/payments/payments.cross-shop.server";
import { serverUrl, withDatabase } from "../support/database";
import { useStripeTestServer } from "../support/stripe";
import { TEST_SECRET_KEY, type StripeTestServer } from "../support/stripe-test-server";
import { twoShops, type Fixture } from "./cart-fixtures";
import { cartWith, orderState, paymentOf, stockLevels } from "./payments-fixtures";

// The proof that a process killed with SIGKILL loses nothing. The app runs in child
// processes (tests/support/crash-child.ts) against this file's database on the PostgreSQL
// server; the test kills them and then plays "after the restart" in fresh processes.
// Embedded PGlite lives inside one process, so these tests need TEST_DATABASE_URL.

const onServer = Boolean(serverUrl());
if (!onServer)
  console.log("payments-crash.test.ts skipped: set TEST_DATABASE_URL to a PostgreSQL server to run the SIGKILL tests.");

let server: StripeTestServer;
let fx: Fixture;
let databaseUrl: string;

beforeAll(async () => {
  if (!onServer) return;
  server = await useStripeTestServer();
  fx = await twoShops();
  const [row] = await unscopedDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
  databaseUrl = withDatabase(serverUrl()!, row!.db);
});

afterAll(async () => {
  await server?.close();
});

type Message = Record<string, unknown> & { event: string };

/** Starts the app in a child process of its own: `node --import tsx tests/support/crash-child.ts …`. */
function app(args: string[]) {
  const proc = spawn(process.execPath, ["--import", "tsx", "tests/support/crash-child.ts", ...args], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: "3",
      STRIPE_SECRET_KEY: TEST_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: server.webhookSecret,
      STRIPE_API_BASE: server.url,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const messages: Message[] = [];
  let stdout = "";
  let stderr = "";
  let wake = () => undefined as void;
  proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    let newline;
    while ((newline = stdout.indexOf("\n")) !== -1) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      if (line.startsWith("{")) messages.push(JSON.parse(line) as Message);
    }
    wake();
  });
  proc.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => {
      resolve({ code, signal });
      wake();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));

  /** The next message of this kind; fails if the process ends first. */
  async function next(event: string): Promise<Message> {
    for (;;) {
      const found = messages.find((m) => m.event === event);
      if (found) return found;
      if (ended) throw new Error(`child ended before "${event}": ${JSON.stringify(messages)}\n${stderr}`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return { proc, next, exited };
}

async function killHard(child: ReturnType<typeof app>) {
  child.proc.kill("SIGKILL");
  expect(await child.exited).toEqual({ code: null, signal: "SIGKILL" });
}

/** Polls (the database is another process's work) until the check passes or ~30 s went by. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 300 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

// Each child process needs a few seconds to start on a busy 2-core machine.
describe.skipIf(!onServer)(
  "a process killed (SIGKILL) between reserving and paying loses nothing",
  { timeout: 180_000 },
  () => {
    it("A: after the restart, the payment's webhook completes the order", async () => {
      const levels = await stockLevels();
      const { cartId, input } = await cartWith([
        { variantId: fx.a.p6.id, quantity: 2 },
        { variantId: fx.b.ticket.id, slotId: fx.b.slot, quantity: 1 },
      ]);
      const first = app(["place", cartId, JSON.stringify(input)]);
      const reserved = (await first.next("reserved")) as Message & {
        orderId: string;
        number: string;
        redirectUrl: string;
      };
      await killHard(first);

      const held = await orderState(reserved.orderId);
      expect(held.status).toBe("AWAITING_PAYMENT");
      expect(held.shopOrders.flatMap((so) => so.reservations).every((r) => r.status === "HELD")).toBe(true);
      expect((await stockLevels()).stock["cart-alpha-P6"]).toBe(levels.stock["cart-alpha-P6"]! - 2);

      // The restarted app; the buyer, on Stripe's page opened before the crash, pays.
      const restarted = app(["serve-webhook"]);
      const { port } = (await restarted.next("listening")) as Message & { port: number };
      server.webhookUrl = `http://127.0.0.1:${port}/webhooks/stripe`;
      try {
        const paid = await fetch(reserved.redirectUrl, {
          method: "POST",
          body: new URLSearchParams({ method: "wechat_pay" }),
          redirect: "manual",
        });
        expect(paid.status).toBe(303);
        expect(paid.headers.get("Location")).toBe(`http://localhost:3260/orders/${reserved.number}?paid=1`);
        expect(server.deliveries.at(-1)).toMatchObject({ type: "checkout.session.completed", status: 200 });
      } finally {
        server.webhookUrl = null;
        restarted.proc.kill("SIGTERM");
        await restarted.exited;
      }

      const state = await orderState(reserved.orderId);
      expect(state.status).toBe("PAID");
      expect(
        state.shopOrders.every((so) => so.status === "PAID" && so.reservations.every((r) => r.status === "CONVERTED")),
      ).toBe(true);
      expect(state.shopOrders.flatMap((so) => so.ledgerEntries.map((e) => e.kind)).sort()).toEqual([
        "PLATFORM_FEE",
        "PLATFORM_FEE",
        "SALE",
        "SALE",
      ]);
      const after = await stockLevels();
      expect(after.stock["cart-alpha-P6"]).toBe(levels.stock["cart-alpha-P6"]! - 2);
      expect(after.booked[fx.b.slot]).toBe(levels.booked[fx.b.slot]! + 1);
    });

    it("A': after the restart, when the webhook is lost too, the reconciliation completes the order", async () => {
      const { cartId, input } = await cartWith([{ variantId: fx.b.p6.id, quantity: 1 }]);
      const first = app(["place", cartId, JSON.stringify(input)]);
      const reserved = (await first.next("reserved")) as Message & { orderId: string };
      await killHard(first);
      const sessionId = (await paymentOf(reserved.orderId)).providerRef!;
      server.pay(sessionId, { method: "alipay" }); // and no webhook reaches anyone

      const restarted = app(["reconcile"]);
      expect(await restarted.next("reconciled")).toMatchObject({ result: { paid: 1, failed: 0 } });
      expect(await restarted.exited).toEqual({ code: 0, signal: null });
      expect((await orderState(reserved.orderId)).status).toBe("PAID");
    });

    it("B: with no payment, the sweeper after the restart releases the reservation and the stock returns exactly", async () => {
      const levels = await stockLevels();
      const { cartId, input } = await cartWith([
        { variantId: fx.a.p12.id, quantity: 2 },
        { variantId: fx.b.p6.id, quantity: 5 },
        { variantId: fx.a.ticket.id, slotId: fx.a.slot, quantity: 3 },
      ]);
      const first = app(["place", cartId, JSON.stringify(input)]);
      const reserved = (await first.next("reserved")) as Message & { orderId: string };
      await killHard(first);
      const during = await stockLevels();
      expect(during.stock["cart-alpha-P12"]).toBe(levels.stock["cart-alpha-P12"]! - 2);
      expect(during.stock["cart-beta-P6"]).toBe(levels.stock["cart-beta-P6"]! - 5);
      expect(during.booked[fx.a.slot]).toBe(levels.booked[fx.a.slot]! + 3);

      const { expiresAt } = await unscopedDb().order.findUniqueOrThrow({ where: { id: reserved.orderId } });
      expect(await sweepExpiredOrders(new Date(expiresAt.getTime() - 60_000))).toMatchObject({ expired: 0 }); // not yet
      const restarted = app(["sweep", new Date(expiresAt.getTime() + 1000).toISOString()]);
      expect(await restarted.next("swept")).toMatchObject({ result: { expired: 1, failed: 0 } });
      expect(await restarted.exited).toEqual({ code: 0, signal: null });

      const state = await orderState(reserved.orderId);
      expect(state.status).toBe("EXPIRED");
      expect(
        state.shopOrders.every(
          (so) => so.status === "CANCELLED" && so.reservations.every((r) => r.status === "RELEASED"),
        ),
      ).toBe(true);
      expect(server.session((await paymentOf(reserved.orderId)).providerRef!).status).toBe("expired");
      expect(await stockLevels()).toEqual(levels);
    });

    it("killed inside placeOrder's transaction: no order, nothing held, and the buyer can place it again", async () => {
      const levels = await stockLevels();
      const { cartId, input } = await cartWith([
        { variantId: fx.a.p6.id, quantity: 3 },
        { variantId: fx.a.ticket.id, slotId: fx.a.slot, quantity: 2 },
      ]);
      // Keep the child inside its transaction: an uncommitted order of ours with the same
      // checkout key makes its INSERT of the order wait for us, after it has taken the stock (in the
      // same statement since decision 042, whose text pg_stat_activity shows cut at 1 KB: the holds come first).
      const blocker = new pg.Client({ connectionString: databaseUrl });
      const observer = new pg.Client({ connectionString: databaseUrl });
      await blocker.connect();
      await observer.connect();
      try {
        await blocker.query("BEGIN");
        await blocker.query(
          `INSERT INTO "Order" (id, number, "contactName", "contactPhone", provider, "totalFen", "checkoutKey", "expiresAt", "updatedAt")
         VALUES ($1, $1, '占位', '13900000000', 'STRIPE', 1, $2, now(), now())`,
          [`blocker-${input.checkoutKey.slice(0, 8)}`, input.checkoutKey],
        );
        const child = app(["place-only", cartId, JSON.stringify(input)]);
        await child.next("placing");
        const waiting = await eventually(
          async () =>
            (
              await observer.query<{ pid: number }>(
                `SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'transactionid'
                  AND query LIKE '%hold_queue%'`,
              )
            ).rows,
          (rows) => rows.length > 0,
        );
        expect(waiting, "the child never reached the INSERT of its order").toHaveLength(1);
        const backend = waiting[0]!.pid;
        // It holds what it took, uncommitted: the variant and slot rows are locked by its transaction.
        await expect(
          observer.query(`SELECT stock FROM "Variant" WHERE id = $1 FOR UPDATE NOWAIT`, [fx.a.p6.id]),
        ).rejects.toMatchObject({ code: "55P03" });
        await expect(
          observer.query(`SELECT booked FROM "ExperienceSlot" WHERE id = $1 FOR UPDATE NOWAIT`, [fx.a.slot]),
        ).rejects.toMatchObject({ code: "55P03" });

        await killHard(child);
        await blocker.query("ROLLBACK");
        // PostgreSQL finds its client gone and rolls the transaction back.
        const still = await eventually(
          async () => (await observer.query(`SELECT pid FROM pg_stat_activity WHERE pid = $1`, [backend])).rows,
          (rows) => rows.length === 0,
        );
        expect(still).toEqual([]);
      } finally {
        await blocker.end();
        await observer.end();
      }

      expect(await unscopedDb().order.count({ where: { checkoutKey: input.checkoutKey } })).toBe(0);
      expect(await stockLevels()).toEqual(levels);
      expect(
        await unscopedDb().stockMovement.count({
          where: { reason: { startsWith: "reserved" }, variantId: fx.a.p6.id, delta: -3 },
        }),
      ).toBe(0);
      expect(await unscopedDb().cartLine.count({ where: { cartId } })).toBe(2);

      // Nothing half-done stands in the way: the same checkout goes through now.
      const again = await placeOrder({ cartId, userId: null, input, lng: "zh-CN" });
      expect(again).toMatchObject({ ok: true });
      const now = await stockLevels();
      expect(now.stock["cart-alpha-P6"]).toBe(levels.stock["cart-alpha-P6"]! - 3);
      expect(now.booked[fx.a.slot]).toBe(levels.booked[fx.a.slot]! + 2);
    });
  },
);
