// npm run fuzz — the fuzzing suite (tests/integration/fuzz-routes.test.ts) for longer than
// CI runs it: more generated requests per route and method, and a random seed, printed so
// that a failure can be replayed.
// Options: --seed <n> (replays a run: every route gets the same cases again), --runs <n> per
// route and method (200), --route <text> (only routes whose id contains it, e.g. checkout).
// Uses the PostgreSQL server at TEST_DATABASE_URL when set, else the embedded database.
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    seed: { type: "string" },
    runs: { type: "string", default: "200" },
    route: { type: "string" },
  },
});

const integer = (name: string, raw: string) => {
  if (!/^-?\d+$/.test(raw)) {
    console.error(`--${name} must be an integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return raw;
};

const seed = values.seed !== undefined ? integer("seed", values.seed) : String(randomInt(0, 2 ** 31 - 1));
const runs = integer("runs", values.runs);
console.log(
  `fuzz: seed ${seed}, ${runs} runs per route and method${values.route ? `, routes matching ${values.route}` : ""}`,
);
console.log(`fuzz: replay with  npm run fuzz -- --seed ${seed}${values.route ? ` --route '${values.route}'` : ""}`);

const child = spawn("npx", ["vitest", "run", "--project", "integration", "tests/integration/fuzz-routes.test.ts"], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs, ...(values.route ? { FUZZ_ROUTE: values.route } : {}) },
});
child.on("exit", (code, signal) => {
  console.log(`fuzz: seed ${seed} — ${code === 0 ? "no failure" : "failed"}`);
  process.exit(code ?? (signal ? 1 : 0));
});
