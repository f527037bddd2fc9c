// The owner of a few demo cooperatives, whom tests/e2e/serve.ts creates at start-up, so that a
// journey can change a demo shop's catalog in its admin the way its owner would (the buyer
// journey changes a price that a cart then flags; the review journey's crab cooperative answers
// its buyer's review). The database is fresh on every run.
export const DEMO_OWNER = {
  phone: "13900000002",
  password: "e2e-demo-owner-pw",
  shops: ["jurong-strawberry", "liyang-tea-stay", "dongting-biluochun", "yangcheng-crab"],
} as const;
