// The code shown on /developers/logistics, for an API at `api` (PUBLIC_ORIGIN + the base path).
// Code is not translated; the example values are what a partner in Jiangsu would send.

export interface ApiGuideExamples {
  auth: string;
  list: string;
  detail: string;
  accept: string;
  reject: string;
  events: string;
  page: string;
  error: string;
  pushHeaders: string;
  verify: string;
}

export function apiGuideExamples(api: string): ApiGuideExamples {
  const auth = `-H "Authorization: Bearer $LOGISTICS_API_KEY"`;
  const json = `-H "Content-Type: application/json"`;
  return {
    auth: `export LOGISTICS_API_KEY=lk_...\ncurl ${auth} "${api}/shipments?limit=1"`,
    list: [
      `curl ${auth} "${api}/shipments?limit=100"`,
      `curl ${auth} "${api}/shipments?limit=100&cursor=$NEXT_CURSOR"`,
      `curl ${auth} "${api}/shipments?status=assigned"`,
    ].join("\n"),
    detail: `curl ${auth} "${api}/shipments/$SHIPMENT_ID"`,
    accept: `curl -X POST ${auth} ${json} \\\n  -d '{"waybillNo": "YZ9801234567", "carrier": "中国邮政"}' \\\n  "${api}/shipments/$SHIPMENT_ID/accept"`,
    reject: `curl -X POST ${auth} ${json} \\\n  -d '{"reason": "冷链车已满"}' \\\n  "${api}/shipments/$SHIPMENT_ID/reject"`,
    events: [
      `curl -X POST ${auth} ${json} \\\n  -d '{"eventId": "evt-000123", "type": "picked_up", "at": "2026-12-05T09:30:00+08:00"}' \\\n  "${api}/shipments/$SHIPMENT_ID/events"`,
      `curl -X POST ${auth} ${json} \\\n  -d '{"eventId": "evt-000124", "type": "in_locker", "at": "2026-12-05T15:02:00+08:00", "lockerCode": "834211"}' \\\n  "${api}/shipments/$SHIPMENT_ID/events"`,
      `curl -X POST ${auth} ${json} \\\n  -d '{"eventId": "evt-000125", "type": "failed", "at": "2026-12-05T16:10:00+08:00", "note": "收件人电话无人接听"}' \\\n  "${api}/shipments/$SHIPMENT_ID/events"`,
    ].join("\n\n"),
    page: `{\n  "shipments": [ { "id": "…", "orderNumber": "…", "county": "320281", "status": "assigned", "parcels": { "count": 1, "weightKg": 2.5 }, "waybillNo": "…", "events": [ … ] } ],\n  "nextCursor": "MTIzNDU2LmNtNHgw…",\n  "hasMore": true\n}`,
    error: `HTTP/1.1 400 Bad Request\n{\n  "error": {\n    "code": "invalid_body",\n    "message": "Invalid fields: lockerCode.",\n    "fields": { "lockerCode": "Required for in_locker." }\n  }\n}`,
    pushHeaders: `POST /your/endpoint\nwebhook-id: msg_2f9c…\nwebhook-timestamp: 1764898200\nwebhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=\nContent-Type: application/json\n\n{"type": "shipment.created", "timestamp": "2026-12-05T01:30:00.000Z", "data": { "id": "…", … }}`,
    verify: `// npm install standardwebhooks
import http from "node:http";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.LOGISTICS_SIGNING_SECRET); // "whsec_…"
const handled = new Set(); // keep the ids in your database in production

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8"); // the raw body, unparsed
      let message;
      try {
        message = webhook.verify(body, {
          "webhook-id": req.headers["webhook-id"],
          "webhook-timestamp": req.headers["webhook-timestamp"],
          "webhook-signature": req.headers["webhook-signature"],
        });
      } catch {
        res.writeHead(400).end(); // not from the platform, or too old
        return;
      }
      const id = req.headers["webhook-id"];
      if (!handled.has(id)) {
        handled.add(id);
        console.log(message.type, message.data.id, message.data.status);
      }
      res.writeHead(204).end(); // answer 2xx quickly; work later
    });
  })
  .listen(8080);`,
  };
}
