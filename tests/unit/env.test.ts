import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "~/env.server";

describe("environment", () => {
  it("has defaults for everything", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toBe(path.resolve("data/pglite"));
    expect(env.PLATFORM_HOST).toBe("localhost");
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => parseEnv({ PLATFORM_HOST: "Shop.Example:3000" })).toThrow(/PLATFORM_HOST/);
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("runs the job worker in-process unless a node is told it runs elsewhere; names a node only when asked", () => {
    expect(parseEnv({}).JOB_WORKER).toBe("in-process");
    expect(parseEnv({ JOB_WORKER: "separate" }).JOB_WORKER).toBe("separate");
    expect(() => parseEnv({ JOB_WORKER: "none" })).toThrow(/JOB_WORKER/);
    expect(parseEnv({}).NODE_NAME).toBeUndefined();
    expect(parseEnv({ NODE_NAME: "" }).NODE_NAME).toBeUndefined();
    expect(parseEnv({ NODE_NAME: "web-2.3001" }).NODE_NAME).toBe("web-2.3001");
    expect(() => parseEnv({ NODE_NAME: "app 1\r\nSet-Cookie: x" })).toThrow(/NODE_NAME/);
  });
});
