// The county coordinator that tests/e2e/serve.ts appoints at start-up (as `npm run
// county:coordinator` would), for 吴中区 — the county of the demo cooperative 东山碧螺春 — whose
// orders serve.ts fills with the demo orders. The database is fresh on every run.
export const COUNTY_COORDINATOR = {
  phone: "13900000003",
  password: "e2e-county-coordinator-pw",
  county: "320506",
} as const;
