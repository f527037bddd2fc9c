import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";
import { servingProcessCount } from "~/lib/processes.server";

describe("how many processes serve", () => {
  it("is one per core on a PostgreSQL server unless WEB_CONCURRENCY says otherwise", () => {
    expect(servingProcessCount({ database: "server", webConcurrency: undefined, cores: 2 })).toBe(2);
    expect(servingProcessCount({ database: "server", webConcurrency: 3, cores: 2 })).toBe(3);
    expect(servingProcessCount({ database: "server", webConcurrency: 1, cores: 8 })).toBe(1);
  });

  it("is always one on the embedded database, which belongs to one process", () => {
    expect(servingProcessCount({ database: "embedded", webConcurrency: 4, cores: 2 })).toBe(1);
    expect(servingProcessCount({ database: "embedded", webConcurrency: undefined, cores: 8 })).toBe(1);
  });

  it("refuses a WEB_CONCURRENCY that is not a positive whole number", () => {
    expect(parseEnv({ WEB_CONCURRENCY: "4" }).WEB_CONCURRENCY).toBe(4);
    expect(parseEnv({}).WEB_CONCURRENCY).toBeUndefined();
    for (const bad of ["0", "-1", "two", "1.5"])
      expect(() => parseEnv({ WEB_CONCURRENCY: bad })).toThrow(/WEB_CONCURRENCY/);
  });
});
