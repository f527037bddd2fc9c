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
});
