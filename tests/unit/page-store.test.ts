import { describe, expect, it } from "vitest";
import {
  cutTemplate,
  EVERY_PAGE,
  fillTemplate,
  PageStore,
  storedBytes,
  type StoredPage,
} from "~/modules/caching/page-store.server";

// The shared page cache's memory (docs/decisions/019-shared-page-cache.md): bounded in bytes,
// least recently used out first, never keeping a page rendered across a change it shows.

function page(bytes: number, shops: string[] = [], expiresAt = Date.now() + 60_000): StoredPage {
  return {
    status: 200,
    headers: [["content-type", "text/html"]],
    etag: 'W/"x"',
    encoding: "br",
    body: Buffer.alloc(bytes, 1),
    shops,
    expiresAt,
  };
}

describe("PageStore", () => {
  it("holds its byte bound, dropping the least recently used page first", () => {
    const size = storedBytes(page(10_000));
    const store = new PageStore(size * 3);
    for (const key of ["a", "b", "c"]) expect(store.put(key, page(10_000), store.ticket())).toBe(true);
    expect(store.get("a")).not.toBeNull(); // a is now the most recently used
    store.put("d", page(10_000), store.ticket());
    expect(store.bytes).toBeLessThanOrEqual(store.maxBytes);
    expect(store.size).toBe(3);
    expect(store.get("b")).toBeNull();
    for (const key of ["a", "c", "d"]) expect(store.get(key)).not.toBeNull();
    // A page larger than the whole bound is not kept, and evicts nothing.
    expect(store.put("huge", page(size * 4), store.ticket())).toBe(false);
    expect(store.size).toBe(3);
  });

  it("serves a page only until its max-age runs out", () => {
    const store = new PageStore(1_000_000);
    store.put("a", page(10, [], 1_000), store.ticket());
    expect(store.get("a", 999)).not.toBeNull();
    expect(store.get("a", 1_000)).toBeNull();
    expect(store.bytes).toBe(0);
  });

  it("a shop's change drops its pages and every marketplace-wide page, not other shops' pages", () => {
    const store = new PageStore(1_000_000);
    store.put("shop-a", page(10, ["A"]), store.ticket());
    store.put("shop-b", page(10, ["B"]), store.ticket());
    store.put("marketplace", page(10, []), store.ticket());
    store.invalidate("A");
    expect(store.get("shop-a")).toBeNull();
    expect(store.get("marketplace")).toBeNull();
    expect(store.get("shop-b")).not.toBeNull();
    store.invalidate(EVERY_PAGE);
    expect(store.get("shop-b")).toBeNull();
    expect(store.bytes).toBe(0);
  });

  it("never keeps a page whose render began before a change it shows", () => {
    const store = new PageStore(1_000_000);
    const before = store.ticket();
    store.invalidate("A");
    expect(store.put("shop-a", page(10, ["A"]), before)).toBe(false);
    expect(store.put("marketplace", page(10, []), before)).toBe(false);
    // Another shop's change says nothing about shop B's page.
    expect(store.put("shop-b", page(10, ["B"]), before)).toBe(true);
    store.invalidate(EVERY_PAGE);
    expect(store.put("shop-b", page(10, ["B"]), before)).toBe(false);
  });

  it("coalesces concurrent fills of one key into one, and a change starts a new one", async () => {
    const store = new PageStore(1_000_000);
    let fills = 0;
    let release!: (value: StoredPage) => void;
    const fill = () => {
      fills++;
      return new Promise<StoredPage | null>((resolve) => (release = resolve));
    };
    const waiting = Array.from({ length: 20 }, () => store.coalesce("k", fill));
    expect(fills).toBe(1);
    expect(waiting.filter((w) => w.leader)).toHaveLength(1);
    const filled = page(10);
    release(filled);
    for (const w of waiting) expect(await w.result).toBe(filled);

    store.coalesce("k", fill);
    store.invalidate("A");
    store.coalesce("k", fill);
    expect(fills).toBe(3);
  });
});

describe("a private page's template (decision 033)", () => {
  const token = "TOKENaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  const nonce = "NONCEbbbbbbbbbbbbbbbbbbb";

  it("puts the next visitor's token and nonce wherever the first visitor's stood, and nothing else", () => {
    const html = `${token}<html><script nonce="${nonce}">x</script><p>阳山水蜜桃 · 6只装</p><input name="csrf" value="${token}"><script nonce="${nonce}"></script>{"csrf":"${token}"}${nonce}`;
    const template = cutTemplate(Buffer.from(html), { token, nonce });
    expect(template.holes).toEqual(["token", "nonce", "token", "nonce", "token", "nonce"]);
    const next = { token: "another-visitors-token-which-is-longer-than-the-first", nonce: "n2" };
    const filled = fillTemplate(template, next).toString("utf8");
    expect(filled).toBe(html.replaceAll(token, next.token).replaceAll(nonce, next.nonce));
    expect(filled).not.toContain(token);
    expect(filled).not.toContain(nonce);
    expect(filled).toContain("阳山水蜜桃 · 6只装");
  });

  it("counts its bytes against the store's bound", () => {
    const html = Buffer.from(`<p>${"桃".repeat(1000)}</p>${token}`);
    const withTemplate = { ...page(0), template: cutTemplate(html, { token, nonce }) };
    expect(storedBytes(withTemplate) - storedBytes(page(0))).toBe(html.byteLength - token.length);
  });
});
