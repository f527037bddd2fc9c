import { pino } from "pino";
import { env } from "~/env.server";
import { requestContext } from "./request-context.server";
import { singleton } from "./singleton.server";

/** Structured logs: one JSON line per event, with the request id when there is a request. */
export const logger = singleton("logger", () =>
  pino({
    level: env().LOG_LEVEL,
    base: { service: "storefront", pid: process.pid }, // several processes serve (docs/decisions/020)
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { requestId: context.requestId } : {};
    },
  }),
);
