import { afterEach, describe, expect, it } from "vitest";
import { resetEnv } from "~/env.server";
import { clientAddress, PEER_ADDRESS_HEADER } from "~/lib/client-address.server";
import { compileTrustProxy, isTrustProxySetting, resolveClientAddress } from "~/lib/trust-proxy.server";

function request(peer: string | null, forwardedFor?: string) {
  const headers = new Headers();
  if (peer) headers.set(PEER_ADDRESS_HEADER, peer);
  if (forwardedFor) headers.set("x-forwarded-for", forwardedFor);
  return new Request("http://localhost/", { headers });
}

function withTrust(setting: string | undefined) {
  if (setting === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = setting;
  resetEnv();
  const store = globalThis as unknown as { __singletons?: Map<string, unknown> };
  store.__singletons?.delete("client-address:trust");
}

describe("client address", () => {
  afterEach(() => withTrust(undefined));

  it("trusts no proxy by default: a forged X-Forwarded-For changes nothing", () => {
    withTrust(undefined);
    expect(clientAddress(request("203.0.113.9", "1.2.3.4"))).toBe("203.0.113.9");
    expect(clientAddress(request("203.0.113.9", "5.6.7.8, 1.2.3.4"))).toBe("203.0.113.9");
  });

  it("with one trusted hop takes the address that hop saw, not the client's leftmost claim", () => {
    withTrust("1");
    expect(clientAddress(request("10.0.0.2", "1.2.3.4, 198.51.100.7"))).toBe("198.51.100.7");
  });

  it("with trusted addresses walks the chain only through them", () => {
    withTrust("10.0.0.0/8");
    expect(clientAddress(request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.9"))).toBe("198.51.100.7");
    // An untrusted peer's header is ignored.
    expect(clientAddress(request("198.51.100.8", "1.2.3.4"))).toBe("198.51.100.8");
  });

  it("knows no address when the server gave none", () => {
    expect(clientAddress(request(null, "1.2.3.4"))).toBe("unknown");
  });

  it("accepts hop counts and address lists, refuses nonsense", () => {
    expect(isTrustProxySetting("2")).toBe(true);
    expect(isTrustProxySetting("10.0.0.0/8, loopback")).toBe(true);
    expect(isTrustProxySetting("not-an-address")).toBe(false);
    expect(resolveClientAddress("127.0.0.1", "9.9.9.9", compileTrustProxy("loopback"))).toBe("9.9.9.9");
  });
});
