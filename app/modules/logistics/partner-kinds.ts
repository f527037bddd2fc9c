// The partner kinds and services, for forms (browser and server) and the partners module.
export const PARTNER_KINDS = ["COUNTY_CENTRE", "POST", "EXPRESS"] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const PARTNER_SERVICES = ["HOME", "PICKUP_POINT", "LOCKER", "COLD_CHAIN"] as const;
export type PartnerService = (typeof PARTNER_SERVICES)[number];
