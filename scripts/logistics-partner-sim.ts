// The reference logistics partner, as a program: `npm run logistics:partner-sim -- --base <url>
// --key <key> --secret <secret> [--secret <old secret>] [--port <p>] [--poll-seconds 5]
// [--step-seconds 10]`. It receives pushes on http://127.0.0.1:<port>/webhooks/yicun (set that
// as the partner's push endpoint), pages through the feed, accepts new shipments and reports
// their events on a schedule. The logic is in scripts/lib/logistics-partner-sim.ts.
import { parseArgs } from "node:util";
import { PartnerSim } from "./lib/logistics-partner-sim";

const { values } = parseArgs({
  options: {
    base: { type: "string" },
    key: { type: "string" },
    secret: { type: "string", multiple: true },
    port: { type: "string", default: "4590" },
    host: { type: "string", default: "127.0.0.1" },
    "poll-seconds": { type: "string", default: "5" },
    "step-seconds": { type: "string", default: "10" },
  },
});
const seconds = (name: string, value: string | undefined) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number of seconds`);
    process.exit(2);
  }
  return n * 1000;
};
if (!values.base || !values.key || !values.secret?.length) {
  console.error(
    "usage: npm run logistics:partner-sim -- --base <url> --key <lk_…> --secret <whsec_…> [--port <p>] [--poll-seconds 5] [--step-seconds 10]",
  );
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error("--port must be a port number");
  process.exit(2);
}
const pollMs = seconds("poll-seconds", values["poll-seconds"]);
const stepMs = seconds("step-seconds", values["step-seconds"]);

const sim = new PartnerSim({
  base: values.base,
  key: values.key,
  secrets: values.secret,
  port,
  host: values.host,
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
const url = await sim.listen();
console.log(`receiving pushes at ${url} (set it as the partner's push endpoint)`);

const loop = (everyMs: number, work: () => Promise<unknown>) => {
  const run = () =>
    work()
      .catch((error: unknown) => console.log(`error: ${String(error)}`))
      .finally(() => setTimeout(run, everyMs));
  void run();
};
loop(pollMs, () => sim.sync());
loop(stepMs, () => sim.step());
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void sim.close().finally(() => process.exit(0)));
