// The shared page cache's memory (docs/decisions/019-shared-page-cache.md): finished pages by
// key, least recently used first out once their bytes pass a bound, each kept until its
// max-age runs out or what it shows changes. No I/O here: the middleware fills it and the
// invalidation bus empties it.

/** A page ready to send: its bytes already in the encoding its key names. */
export interface StoredPage {
  status: number;
  /** Response headers to send again (nothing per-request: no request id, timing or cookie). */
  headers: [name: string, value: string][];
  etag: string | null;
  encoding: "br" | "gzip" | "identity";
  body: Buffer;
  /** The shops whose data the page shows; empty = a marketplace-wide page (any change empties it). */
  shops: string[];
  /** Date.now() after which it is not served. */
  expiresAt: number;
  /**
   * A private page's template (decision 033): its HTML cut where the CSRF token and the CSP nonce
   * of the visitor it was rendered for stood, to be joined with the next visitor's.
   */
  template?: PageTemplate;
}

/**
 * A page's UTF-8 bytes in pieces, with what goes between them: `pieces[i]`, then `holes[i]`'s
 * value, …, then the last piece. Joining bytes costs a copy; replacing in a 100 KB string and
 * encoding it again cost 1.5 ms of a private platform home's 4.6 (docs/perf.md, stop 26).
 */
export interface PageTemplate {
  pieces: Buffer[];
  holes: ("token" | "nonce")[];
  /** The template's own nonce, for the policy header. */
  nonce: string;
}

/** Cuts `html` where any of `values` stands (ASCII values: a token, a nonce). */
export function cutTemplate(html: Buffer, values: { token: string; nonce: string }): PageTemplate {
  const needles = (["token", "nonce"] as const).map((hole) => ({ hole, bytes: Buffer.from(values[hole]) }));
  const pieces: Buffer[] = [];
  const holes: PageTemplate["holes"] = [];
  let from = 0;
  for (;;) {
    let next: { at: number; hole: "token" | "nonce"; length: number } | null = null;
    for (const { hole, bytes } of needles) {
      const at = html.indexOf(bytes, from);
      if (at !== -1 && (next === null || at < next.at)) next = { at, hole, length: bytes.length };
    }
    if (!next) break;
    pieces.push(html.subarray(from, next.at));
    holes.push(next.hole);
    from = next.at + next.length;
  }
  pieces.push(html.subarray(from));
  return { pieces, holes, nonce: values.nonce };
}

/** The template's page with `values` in its holes. */
export function fillTemplate(template: PageTemplate, values: { token: string; nonce: string }): Buffer {
  const filled = { token: Buffer.from(values.token), nonce: Buffer.from(values.nonce) };
  const parts: Buffer[] = [template.pieces[0]!];
  template.holes.forEach((hole, i) => parts.push(filled[hole], template.pieces[i + 1]!));
  return Buffer.concat(parts);
}

/** "*" in an invalidation: every page (a county, or the bus was down). */
export const EVERY_PAGE = "*";

/** A fill's snapshot of the invalidations so far, to tell later whether what it read may be stale. */
export interface FillTicket {
  readonly seq: number;
}

const ENTRY_OVERHEAD_BYTES = 512;

export function storedBytes(page: StoredPage): number {
  let bytes = page.body.byteLength + ENTRY_OVERHEAD_BYTES;
  for (const piece of page.template?.pieces ?? []) bytes += piece.byteLength;
  for (const [name, value] of page.headers) bytes += name.length + value.length;
  return bytes;
}

export class PageStore {
  readonly maxBytes: number;
  #pages = new Map<string, { page: StoredPage; bytes: number }>();
  #bytes = 0;
  #inFlight = new Map<string, Promise<StoredPage | null>>();
  /** Count of invalidations so far; the last one per shop and the last "every page". */
  #seq = 0;
  #shopSeq = new Map<string, number>();
  #everySeq = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get bytes() {
    return this.#bytes;
  }

  get size() {
    return this.#pages.size;
  }

  /** A live page for the key, marked most recently used; expired ones are dropped. */
  get(key: string, now = Date.now()): StoredPage | null {
    const found = this.#pages.get(key);
    if (!found) return null;
    this.#pages.delete(key);
    if (found.page.expiresAt <= now) {
      this.#bytes -= found.bytes;
      return null;
    }
    this.#pages.set(key, found);
    return found.page;
  }

  /** Taken before a page is rendered: the page may be kept only if nothing it shows changed since. */
  ticket(): FillTicket {
    return { seq: this.#seq };
  }

  /**
   * Keeps a page rendered under `ticket`, unless an invalidation that concerns it arrived while
   * it was being rendered (it may show what was there before), or it is larger than the bound.
   */
  put(key: string, page: StoredPage, ticket: FillTicket): boolean {
    if (this.#everySeq > ticket.seq) return false;
    const concerned = page.shops.length === 0 ? [this.#seq] : page.shops.map((shop) => this.#shopSeq.get(shop) ?? 0);
    if (concerned.some((seq) => seq > ticket.seq)) return false;
    const bytes = storedBytes(page);
    if (bytes > this.maxBytes) return false;
    this.#remove(key);
    this.#pages.set(key, { page, bytes });
    this.#bytes += bytes;
    // Map iteration is insertion order, and get() re-inserts: the first key is the least recently used.
    for (const [oldest] of this.#pages) {
      if (this.#bytes <= this.maxBytes) break;
      this.#remove(oldest);
    }
    return true;
  }

  /**
   * One fill per key at a time: the first caller's `fill` runs, later callers for the same key
   * wait for its result (null when its answer could not be shared: they render their own).
   */
  coalesce(
    key: string,
    fill: () => Promise<StoredPage | null>,
  ): { leader: boolean; result: Promise<StoredPage | null> } {
    const running = this.#inFlight.get(key);
    if (running) return { leader: false, result: running };
    const result = fill()
      .catch(() => null)
      .finally(() => {
        if (this.#inFlight.get(key) === result) this.#inFlight.delete(key);
      });
    this.#inFlight.set(key, result);
    return { leader: true, result };
  }

  /** What a shop shows changed (or every page with "*"): its pages and every marketplace-wide page go. */
  invalidate(shop: string) {
    this.#seq++;
    if (shop === EVERY_PAGE) {
      this.#everySeq = this.#seq;
      this.#pages.clear();
      this.#bytes = 0;
    } else {
      this.#shopSeq.set(shop, this.#seq);
      for (const [key, { page }] of this.#pages) {
        if (page.shops.length === 0 || page.shops.includes(shop)) this.#remove(key);
      }
    }
    // A request arriving from now on must not wait for a render that began before the change.
    this.#inFlight.clear();
  }

  #remove(key: string) {
    const found = this.#pages.get(key);
    if (!found) return;
    this.#pages.delete(key);
    this.#bytes -= found.bytes;
  }
}
