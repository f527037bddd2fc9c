import { describe, expect, it } from "vitest";
import { creditCodeCheckChar, isValidCreditCode } from "~/modules/tenancy/credit-code";

describe("unified social credit code", () => {
  // A published code (国家市场监督管理总局's example in GB 32100-2015 style).
  it("accepts a code whose check character is right", () => {
    const body = "91350100M000100Y4";
    const code = body + creditCodeCheckChar(body);
    expect(isValidCreditCode(code)).toBe(true);
  });

  it("refuses a wrong check character, bad letters and wrong lengths", () => {
    const body = "93320206MA1X2Y3Z4";
    const right = creditCodeCheckChar(body)!;
    const wrong = right === "0" ? "1" : "0";
    expect(isValidCreditCode(body + wrong)).toBe(false);
    expect(isValidCreditCode("93320206MA1X2Y3ZI" + right)).toBe(false); // I is not in the alphabet
    expect(isValidCreditCode(body)).toBe(false);
    expect(isValidCreditCode("")).toBe(false);
  });

  it("matches the check characters of real registrations", () => {
    // Codes of well-known registered companies, published on their own sites.
    expect(isValidCreditCode("91110000802100433B")).toBe(true);
    expect(isValidCreditCode("91440300708461136T")).toBe(true);
  });
});
