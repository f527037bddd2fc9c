import { describe, expect, it } from "vitest";
import { webhookUrlSchema } from "~/modules/logistics/partner-schema";

// The push endpoint rule: an http(s) URL without credentials; https only when the platform is on https.
describe("a partner's push endpoint URL", () => {
  const errorOf = (httpsOnly: boolean, value: string) => {
    const r = webhookUrlSchema(httpsOnly).safeParse(value);
    return r.success ? null : r.error.issues[0]!.message;
  };

  it("is optional", () => {
    expect(webhookUrlSchema(true).parse(undefined)).toBeNull();
    expect(webhookUrlSchema(true).parse("  ")).toBeNull();
  });

  it("takes http and https on an http platform, only https on an https one", () => {
    expect(webhookUrlSchema(false).parse("http://127.0.0.1:8080/hook")).toBe("http://127.0.0.1:8080/hook");
    expect(errorOf(true, "http://partner.example/hook")).toBe("logisticsPartners.errors.webhookHttps");
    expect(webhookUrlSchema(true).parse("https://partner.example/hook")).toBe("https://partner.example/hook");
  });

  it("refuses other schemes, non-URLs and credentials", () => {
    expect(errorOf(false, "ftp://partner.example/x")).toBe("logisticsPartners.errors.webhookUrl");
    expect(errorOf(false, "javascript:alert(1)")).toBe("logisticsPartners.errors.webhookUrl");
    expect(errorOf(false, "partner hooks")).toBe("logisticsPartners.errors.webhookUrl");
    expect(errorOf(true, "https://user:pw@partner.example/x")).toBe("logisticsPartners.errors.webhookCredentials");
  });
});
