import http from "node:http";

// For the end-to-end journeys only (started by tests/e2e/serve.ts, in the app's process, on
// 127.0.0.1): a small JSON endpoint through which a journey's setup registers a county's
// logistics partner and plays the partner's part (accept, events) through the logistics
// module itself, as the partner API and portal do. Port: E2E_PORT + 2 (logisticsControlPort).

export const logisticsControlPort = (appPort: number) => appPort + 2;

async function body(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
}

export async function startLogisticsControl(port: number): Promise<void> {
  const { unscopedDb } = await import("~/db/index.server");
  const { createPartner } = await import("~/modules/logistics/partners.server");
  const { acceptShipment, reportShipmentEvent } = await import("~/modules/logistics/partner-actions.cross-shop.server");

  // Journeys run in parallel workers: two asking for the same partner at once must not both
  // make one (CI once saw the zh-CN and en journeys each create 句容县级物流中心, so the
  // shipment went to the other's partner and the events came back notFound).
  let partnerQueue: Promise<unknown> = Promise.resolve();
  const onePartnerAtATime = (input: Record<string, unknown>) => {
    const next = partnerQueue.then(() => findOrCreatePartner(input));
    partnerQueue = next.catch(() => undefined);
    return next;
  };

  /** { shop, nameZh, nameEn } → the partner of that shop's county (made once per name). */
  async function findOrCreatePartner(input: Record<string, unknown>) {
    const shop = await unscopedDb().shop.findUniqueOrThrow({
      where: { slug: String(input.shop) },
      select: { countyId: true },
    });
    const existing = await unscopedDb().logisticsPartner.findFirst({
      where: { countyId: shop.countyId, nameZh: String(input.nameZh) },
      select: { id: true },
    });
    if (existing) return { id: existing.id };
    const made = await createPartner({
      countyId: shop.countyId,
      nameZh: String(input.nameZh),
      nameEn: String(input.nameEn),
      kind: "COUNTY_CENTRE",
      services: ["HOME", "PICKUP_POINT", "LOCKER", "COLD_CHAIN"],
      areas: [],
    });
    return { id: made.id };
  }

  const handlers: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    "/partner": onePartnerAtATime,
    /**
     * { partnerId?, shopOrderNumber, waybillNo, carrier, events: [{ type, lockerCode?, note? }] }; without
     * partnerId, the partner the county's rules assigned the shipment to plays it.
     */
    "/events": async (input) => {
      const shipment = await unscopedDb().shipment.findFirstOrThrow({
        where: { shopOrder: { number: String(input.shopOrderNumber) } },
        select: { id: true, partnerId: true },
      });
      const partnerId = input.partnerId ? String(input.partnerId) : shipment.partnerId;
      if (!partnerId) throw new Error(`shipment of ${String(input.shopOrderNumber)} has no partner`);
      const accepted = await acceptShipment({
        partnerId,
        shipmentId: shipment.id,
        waybillNo: String(input.waybillNo),
        carrier: String(input.carrier),
      });
      const events = (input.events ?? []) as { type: never; lockerCode?: string; note?: string }[];
      const start = Date.now();
      const outcomes = [];
      for (const [i, e] of events.entries()) {
        outcomes.push(
          await reportShipmentEvent({
            partnerId,
            shipmentId: shipment.id,
            event: {
              eventId: `e2e-${shipment.id}-${i}`,
              type: e.type,
              at: new Date(start - (events.length - i) * 60_000),
              lockerCode: e.lockerCode ?? null,
              note: e.note ?? null,
            },
          }),
        );
      }
      return { accepted, outcomes };
    },
  };

  const server = http.createServer((req, res) => {
    const handler = req.method === "POST" ? handlers[req.url ?? ""] : undefined;
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    body(req)
      .then(handler)
      .then(
        (answer) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(answer)),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
}
