// The platform admin that tests/e2e/serve.ts creates at start-up, for journeys that
// need someone to approve a shop. The database is fresh on every run. Platform admins must
// have two-step verification: serve.ts gives this one a known authenticator secret.
export const PLATFORM_ADMIN = {
  phone: "13900000001",
  password: "e2e-platform-admin-pw",
  totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
} as const;
