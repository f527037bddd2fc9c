// The platform admin that tests/e2e/serve.ts creates at start-up, for journeys that
// need someone to approve a shop. The database is fresh on every run.
export const PLATFORM_ADMIN = { phone: "13900000001", password: "e2e-platform-admin-pw" } as const;
