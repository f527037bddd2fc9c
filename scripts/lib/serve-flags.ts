import fs from "node:fs";
import path from "node:path";

// The Node flags of `npm run serve` (package.json), so that the benches, `npm run cluster`, the drill
// and the tests start build/server.mjs as production does (docs/decisions/036-resting-memory.md).

/** The flags between `node` and `build/server.mjs` in package.json's `serve` script. */
export function serveNodeFlags(root = process.cwd()): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  return nodeFlagsOf(pkg.scripts?.serve ?? "");
}

/** `NODE_ENV=production node --a --b build/server.mjs` → ["--a", "--b"]. */
export function nodeFlagsOf(command: string): string[] {
  const words = command.trim().split(/\s+/);
  const node = words.findIndex((w) => w === "node" || w.endsWith("/node"));
  const server = words.indexOf("build/server.mjs");
  if (node === -1 || server <= node) throw new Error(`not a command that runs build/server.mjs with node: ${command}`);
  return words.slice(node + 1, server);
}
