import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { unscopedDb } from "~/db/index.server";
import { createPartner } from "~/modules/logistics/partners.server";
import { sendDuePushes } from "~/modules/logistics/push-sender.server";

// Push deliveries per second to a local receiver (issue #10, docs/perf.md), with the CPU the
// sending process spends per delivery (the receiver runs in the same process and only answers
// 204, so its share is small but counted). For `npm run bench -- --only logistics`; needs a
// migrated database (DATABASE_URL) with at least one county. Leaves its partner and rows behind
// in the bench database.

export interface PushBenchResult {
  deliveries: number;
  seconds: number;
  perSecond: number;
  cpuMsPerDelivery: number;
  concurrency: number;
}

export async function benchLogisticsPush({
  count = 2000,
  concurrency = 10,
}: { count?: number; concurrency?: number } = {}): Promise<PushBenchResult> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    const county = await unscopedDb().county.findFirstOrThrow({ select: { id: true } });
    const partner = await createPartner({
      countyId: county.id,
      nameZh: `推送基准${randomUUID().slice(0, 6)}`,
      kind: "EXPRESS",
      services: ["HOME"],
      areas: [],
      webhookUrl: url,
    });
    const now = new Date();
    const rows = Array.from({ length: count }, (_, n) => ({
      id: `msg_${randomUUID().replace(/-/g, "")}`,
      partnerId: partner.id,
      type: "shipment.updated",
      payload: {
        type: "shipment.updated",
        timestamp: now.toISOString(),
        data: { id: `bench_${n}`, status: "accepted" },
      },
      nextAttemptAt: now,
      createdAt: now,
    }));
    for (let i = 0; i < rows.length; i += 1000)
      await unscopedDb().webhookDelivery.createMany({ data: rows.slice(i, i + 1000) });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let delivered = 0;
    for (;;) {
      const result = await sendDuePushes({ concurrency, batch: concurrency * 5, maxRunMs: 600_000 });
      delivered += result.delivered;
      if (result.claimed === 0) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      deliveries: delivered,
      seconds: Math.round(seconds * 100) / 100,
      perSecond: Math.round(delivered / seconds),
      cpuMsPerDelivery: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(delivered, 1)) * 100) / 100,
      concurrency,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
