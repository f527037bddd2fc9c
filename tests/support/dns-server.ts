import dgram from "node:dgram";
import dnsPacket from "dns-packet";

// A real DNS server on 127.0.0.1 (UDP) that answers TXT questions from a table the test
// edits: the app's own resolver (node:dns Resolver, pointed here with DOMAIN_DNS_SERVERS)
// asks it exactly as it would ask a public one. Unknown names are NXDOMAIN; `failing` makes
// it answer SERVFAIL to everything (a DNS outage). It records the names it was asked.

const NXDOMAIN = 3;
const SERVFAIL = 2;

export interface TestDnsServer {
  /** "127.0.0.1:<port>", for DOMAIN_DNS_SERVERS. */
  address: string;
  /** TXT records by name (lower-case, no trailing dot); each record is its strings. */
  txt: Map<string, string[][]>;
  failing: boolean;
  asked: string[];
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const socket = dgram.createSocket("udp4");
  const server: TestDnsServer = {
    address: "",
    txt: new Map(),
    failing: false,
    asked: [],
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on("message", (message, remote) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, "");
    server.asked.push(name);
    const records = server.txt.get(name);
    const flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE;
    const answer: dnsPacket.Packet = server.failing
      ? { type: "response", id: query.id, flags: flags | SERVFAIL, questions: [question] }
      : !records
        ? { type: "response", id: query.id, flags: flags | NXDOMAIN, questions: [question] }
        : {
            type: "response",
            id: query.id,
            flags: flags | dnsPacket.AUTHORITATIVE_ANSWER,
            questions: [question],
            answers:
              question.type === "TXT"
                ? records.map((data) => ({
                    type: "TXT" as const,
                    class: "IN" as const,
                    name: question.name,
                    ttl: 0,
                    data,
                  }))
                : [],
          };
    socket.send(dnsPacket.encode(answer), remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => resolve());
  });
  server.address = `127.0.0.1:${socket.address().port}`;
  return server;
}
