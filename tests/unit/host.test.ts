import { describe, expect, it } from "vitest";
import { classifyHost } from "~/modules/tenancy/host";

describe("classifyHost", () => {
  it("reads a shop's subdomain of the platform host", () => {
    expect(classifyHost("yangshan-peach.localhost", "localhost")).toEqual({ type: "subdomain", slug: "yangshan-peach" });
    expect(classifyHost("Yangshan-Peach.Shop.Example.cn", "shop.example.cn")).toEqual({ type: "subdomain", slug: "yangshan-peach" });
  });

  it("treats the platform host, www, loopback and IPs as the platform", () => {
    for (const host of ["localhost", "www.localhost", "127.0.0.1", "10.0.0.8"]) {
      expect(classifyHost(host, "localhost")).toEqual({ type: "platform" });
    }
    expect(classifyHost("shop.example.cn", "shop.example.cn")).toEqual({ type: "platform" });
  });

  it("treats other hosts as possible custom domains", () => {
    expect(classifyHost("peach.example.com", "localhost")).toEqual({ type: "custom", host: "peach.example.com" });
  });

  it("does not take nested or malformed labels as a slug", () => {
    expect(classifyHost("a.b.localhost", "localhost")).toEqual({ type: "platform" });
    expect(classifyHost("-bad-.localhost", "localhost")).toEqual({ type: "platform" });
  });
});
