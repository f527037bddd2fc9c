import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Webhook } from "standardwebhooks";

// A partner's webhook endpoint for tests: a real HTTP server on 127.0.0.1 that records every
// request (headers, body, whether it verified with the standardwebhooks package against the
// secrets it was given) and answers as `respond` says (200 by default).

export interface ReceivedPush {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** Which of the receiver's secrets verified it (indexes), empty if none. */
  verifiedWith: number[];
  /** Received while another request with the same webhook-id was still being answered. */
  overlapped: boolean;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow endpoint). */
  delayMs?: number;
  /** Close the socket without answering. */
  hangUp?: boolean;
}

export interface PushReceiver {
  url: string;
  port: number;
  received: ReceivedPush[];
  secrets: string[];
  respond: (push: ReceivedPush) => Answer;
  close(): Promise<void>;
}

export async function startPushReceiver({
  secrets = [],
  respond = () => ({ status: 200 }),
  port = 0,
}: { secrets?: string[]; respond?: (push: ReceivedPush) => Answer; port?: number } = {}): Promise<PushReceiver> {
  const inFlight = new Map<string, number>();
  const sockets = new Set<Socket>();
  const receiver: PushReceiver = {
    url: "",
    port: 0,
    received: [],
    secrets,
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(req.headers["webhook-id"] ?? ""),
        "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
        "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
      };
      const verifiedWith = receiver.secrets.flatMap((secret, index) => {
        try {
          new Webhook(secret).verify(body, headers);
          return [index];
        } catch {
          return [];
        }
      });
      const id = headers["webhook-id"];
      const push: ReceivedPush = {
        id,
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        body,
        verifiedWith,
        overlapped: (inFlight.get(id) ?? 0) > 0,
      };
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      receiver.received.push(push);
      const answer = receiver.respond(push);
      const finish = () => {
        inFlight.set(id, inFlight.get(id)! - 1);
        if (answer.hangUp) {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, answer.headers ?? {});
        res.end();
      };
      if (answer.delayMs) setTimeout(finish, answer.delayMs);
      else finish();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks/yicun`;
  return receiver;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
