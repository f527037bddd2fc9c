import { spawn } from "node:child_process";
import { expect } from "vitest";

/** Runs `script` once per argument list (in English) and expects exit 2 with its usage on stderr. */
export async function expectUsageExit(script: string, argLists: string[][], usage: string) {
  for (const args of argLists) {
    const run = spawn(process.execPath, ["--import", "tsx", script, ...args, "--lang", "en"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    run.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    run.stdout!.resume();
    const code = await new Promise<number | null>((resolve) => run.once("exit", resolve));
    expect(code, args.join(" ")).toBe(2);
    expect(stderr).toContain(usage);
  }
}
