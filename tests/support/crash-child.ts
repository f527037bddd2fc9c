// A separate app process for the crash tests (tests/integration/payments-crash.test.ts):
// started with `node --import tsx tests/support/crash-child.ts <mode> …` and the app's
// environment (DATABASE_URL, STRIPE_*). It talks to its parent through stdout, one JSON
// object a line.
//
//   place <cartId> <checkout input JSON>   placeOrder + startPayment, prints {event:"reserved",…},
//                                          then waits to be killed
//   place-only <cartId> <input JSON>       prints {event:"placing"} and runs placeOrder (the test
//                                          holds it inside its transaction, then kills it)
//   serve-webhook                          serves POST /webhooks/stripe (the real route) on a free
//                                          port, prints {event:"listening", port}
//   sweep <ISO time>                       runs the sweeper once as of that time, prints the result
//   reconcile                              runs the reconciliation once, prints the result
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeDatabase } from "~/db/index.server";
import type { CheckoutInput } from "~/modules/checkout/checkout-schema";
import { placeOrder } from "~/modules/checkout/place-order.cross-shop.server";
import {
  reconcileStripePayments,
  startPayment,
  sweepExpiredOrders,
} from "~/modules/payments/payments.cross-shop.server";
import { action } from "~/routes/webhooks.stripe";

const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
const forever = () => new Promise<never>(() => setInterval(() => undefined, 60_000));

const [mode, ...args] = process.argv.slice(2);

switch (mode) {
  case "place": {
    const input = JSON.parse(args[1]!) as CheckoutInput;
    const result = await placeOrder({ cartId: args[0]!, userId: null, input, lng: "zh-CN" });
    if (!result.ok) {
      say({ event: "refused", result });
      process.exit(1);
    }
    const { redirectUrl } = await startPayment({ orderId: result.orderId, origin: "http://localhost:3260" });
    // Reserved and sent to pay: from here on only Stripe or the clock can settle the order.
    say({ event: "reserved", orderId: result.orderId, number: result.number, redirectUrl });
    await forever();
    break;
  }
  case "place-only": {
    const input = JSON.parse(args[1]!) as CheckoutInput;
    say({ event: "placing", pid: process.pid });
    const result = await placeOrder({ cartId: args[0]!, userId: null, input, lng: "zh-CN" });
    say({ event: "placed", result });
    await forever();
    break;
  }
  case "serve-webhook": {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
          method: req.method,
          headers: Object.entries(req.headers).flatMap(([k, v]) =>
            typeof v === "string" ? [[k, v] as [string, string]] : [],
          ),
          body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
        });
        if (new URL(request.url).pathname !== "/webhooks/stripe") {
          res.writeHead(404).end();
          return;
        }
        action({ request, params: {}, context: {} }).then(
          async (response) => {
            res.writeHead(response.status, { "Content-Type": "application/json" });
            res.end(await response.text());
          },
          (error: unknown) => {
            res.writeHead(500).end(String(error));
          },
        );
      });
    });
    server.listen(0, "127.0.0.1", () => say({ event: "listening", port: (server.address() as AddressInfo).port }));
    process.once("SIGTERM", () => server.close(() => void closeDatabase().finally(() => process.exit(0))));
    break;
  }
  case "sweep": {
    const result = await sweepExpiredOrders(new Date(args[0]!));
    say({ event: "swept", result });
    await closeDatabase();
    process.exit(0);
    break;
  }
  case "reconcile": {
    const result = await reconcileStripePayments({ olderThanMs: 0 });
    say({ event: "reconciled", result });
    await closeDatabase();
    process.exit(0);
    break;
  }
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}
