import { pino } from "pino";
import { env } from "~/env.server";
import { singleton } from "./singleton.server";

/** Structured logs: one JSON line per event. Request handlers log through a child with the request id. */
export const logger = singleton("logger", () =>
  pino({ level: env().LOG_LEVEL, base: { service: "storefront" } }),
);
