import { describe, expect, it } from "vitest";
import { connect } from "~/db/connection.server";
import { loader } from "~/routes/healthz";

describe("/healthz", () => {
  it("answers 200 when the database is reachable", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: true });
  });

  it("answers 503 when it is not", async () => {
    const store = globalThis as unknown as { __singletons: Map<string, unknown> };
    const healthy = store.__singletons.get("db:connection");
    // A server that refuses connections (nothing listens on port 1).
    const dead = connect({ kind: "server", url: "postgresql://nobody@127.0.0.1:1/none" });
    store.__singletons.set("db:connection", dead);
    try {
      const response = await loader();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unavailable", database: false });
    } finally {
      store.__singletons.set("db:connection", healthy);
      await dead.close();
    }
  });
});
