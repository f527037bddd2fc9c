import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { nodeFlagsOf, serveNodeFlags } from "../../scripts/lib/serve-flags";

// Production runs the server with the flags that were measured (docs/decisions/036-resting-memory.md):
// package.json's `serve` script is the source the benches, cluster, drill and tests read; the
// Dockerfile and the systemd unit write them out and must say the same.

describe("the Node flags of npm run serve", () => {
  it("are read from the serve script", () => {
    expect(nodeFlagsOf("NODE_ENV=production node --a=1 --b build/server.mjs")).toEqual(["--a=1", "--b"]);
    expect(nodeFlagsOf("/usr/bin/node build/server.mjs")).toEqual([]);
    expect(() => nodeFlagsOf("tsx server.ts")).toThrow();
    expect(serveNodeFlags()).toContain("--max-semi-space-size=4");
  });

  it("are the Dockerfile's and the systemd unit's", () => {
    const flags = serveNodeFlags();
    const cmd = /^CMD (\[.*\])$/m.exec(fs.readFileSync("deploy/Dockerfile", "utf8"))?.[1];
    expect(nodeFlagsOf((JSON.parse(cmd ?? "[]") as string[]).join(" "))).toEqual(flags);
    const exec = /^ExecStart=(.*)$/m.exec(fs.readFileSync("deploy/systemd/app@.service", "utf8"))?.[1];
    expect(nodeFlagsOf(exec ?? "")).toEqual(flags);
  });
});
