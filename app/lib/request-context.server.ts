import { AsyncLocalStorage } from "node:async_hooks";

/** Per-request facts every log line carries, without threading them through every call. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();
