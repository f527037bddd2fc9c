import { describe, expect, it } from "vitest";
import { batchSchema, daysBetween, isIsoDate } from "~/modules/trace/batch-schema";
import { normaliseTraceCode, TRACE_CODE_ALPHABET, TRACE_CODE_PATTERN, tracePageUrl } from "~/modules/trace/trace-code";

describe("trace codes", () => {
  it("normalises what people type or scan, and refuses what cannot be a code", () => {
    expect(normaliseTraceCode("mtuh xuxu s7e5")).toBe("MTUHXUXUS7E5");
    expect(normaliseTraceCode(" MTUH-XUXU-S7E5 ")).toBe("MTUHXUXUS7E5");
    expect(normaliseTraceCode("9O7QDO4VXX6Z")).toBe("907QD04VXX6Z"); // O read as 0
    expect(normaliseTraceCode("JHAYG5IIQCLP")).toBe("JHAYG511QCLP"); // I read as 1
    for (const bad of [null, undefined, "", "ABC", "MTUHXUXUS7E5X", "MTUHXUXUS7E!", "ＭTUHXUXUS7E5"])
      expect(normaliseTraceCode(bad)).toBeNull();
  });

  it("generates from an alphabet the pattern accepts, without 0, 1, I or O", () => {
    expect(TRACE_CODE_ALPHABET).toHaveLength(32);
    for (const char of TRACE_CODE_ALPHABET) expect(char.repeat(12)).toMatch(TRACE_CODE_PATTERN);
    expect(TRACE_CODE_ALPHABET).not.toMatch(/[01IO]/);
  });

  it("points labels at the public page", () => {
    expect(tracePageUrl("https://example.cn/", "MTUHXUXUS7E5")).toBe("https://example.cn/t/MTUHXUXUS7E5");
  });
});

describe("batch dates", () => {
  it("accepts only real YYYY-MM-DD days and counts days between them", () => {
    expect(isIsoDate("2028-02-29")).toBe(true);
    for (const bad of ["2026-02-29", "2026-13-01", "2026-7-1", "20260701", "2026-07-01T00:00"])
      expect(isIsoDate(bad)).toBe(false);
    expect(daysBetween("2026-06-01", "2026-07-10")).toBe(39);
    expect(daysBetween("2026-07-10", "2026-07-01")).toBe(-9);
  });

  it("refuses a harvest before or inside a treatment's safety interval, for drugs as for pesticides", () => {
    const base = {
      productNameZh: "鸭蛋",
      harvestDate: "2026-07-10",
      originPlotZh: "鸭棚",
      quantity: 100,
      quantityUnit: "枚",
      certProducer: "社",
      certContactPhone: "0514-84612345",
      certOrigin: "高邮",
      certIssuedOn: "2026-07-10",
      certCommitments: ["VETERINARY_DRUG_RESIDUE_COMPLIANT"],
    };
    const drug = (appliedOn: string) => ({
      ...base,
      inputs: [{ kind: "VETERINARY_DRUG", nameZh: "药", appliedOn, safetyIntervalDays: 5 }],
    });
    expect(batchSchema.safeParse(drug("2026-07-05")).success).toBe(true);
    expect(batchSchema.safeParse(drug("2026-07-06")).success).toBe(false);
    expect(batchSchema.safeParse(drug("2026-07-20")).success).toBe(false); // applied after the harvest
  });
});
