import { unscopedDb } from "~/db/index.server";
import { partnerShipmentsJson, type PartnerShipment } from "./partner-shipment.server";
import type { ShipmentStatus } from "./shipment-status";

// The partner's pull feed (issue #10, docs/decisions/016). A partner's shipments are ordered
// by (feedXid, id): feedXid is the id of the transaction that gave the shipment to the partner
// (assignShipment). Transactions commit in any order, so a page only reaches as far as
// pg_snapshot_xmin(pg_current_snapshot()) — every transaction with a smaller id has ended —
// and a row whose transaction is still open can never be passed by a cursor and then appear
// behind it. A shipment given to another partner, or back after a rejection, gets a new
// feedXid and so enters that partner's feed again. Cross-shop: a partner's shipments come from
// every cooperative of its county; each detail still names its shop.

export interface FeedPosition {
  xid: bigint;
  id: string;
}

export interface FeedPage {
  shipments: PartnerShipment[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** The opaque cursor of a position: base64url of "<xid>.<id>". */
export function encodeCursor(p: FeedPosition): string {
  return Buffer.from(`${p.xid}.${p.id}`, "utf8").toString("base64url");
}

/** The position of a cursor this feed gave, or null for anything else. */
export function decodeCursor(cursor: string): FeedPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = /^(\d{1,19})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return null;
  const xid = BigInt(match[1]!);
  if (xid > 9_223_372_036_854_775_807n) return null;
  const position = { xid, id: match[2]! };
  // One spelling per position: a cursor that does not re-encode to itself was not ours.
  return encodeCursor(position) === cursor ? position : null;
}

/**
 * One page of the partner's feed after `after` (from the start when null), optionally only
 * shipments in `status`. Two statements: the page's ids, then their details.
 */
export async function partnerFeedPage({
  partnerId,
  after,
  status,
  limit,
}: {
  partnerId: string;
  after: FeedPosition | null;
  status: ShipmentStatus | null;
  limit: number;
}): Promise<FeedPage> {
  // The xid is read as text under another name: ORDER BY "feedXid" would otherwise sort by the
  // text output column, not by the bigint, which both breaks the order and skips the index.
  const rows = await unscopedDb().$queryRaw<{ id: string; shopId: string; xid: string }[]>`
    SELECT id, "shopId", "feedXid"::text AS xid
      FROM "Shipment"
     WHERE "partnerId" = ${partnerId}
       AND "feedXid" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
       AND ("feedXid", id) > (${after?.xid ?? -1n}::bigint, ${after?.id ?? ""})
       AND (${status}::text IS NULL OR status::text = ${status}::text)
     ORDER BY "Shipment"."feedXid", "Shipment".id
     LIMIT ${limit + 1}`;
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const details = await partnerShipmentsJson(unscopedDb(), page);
  return {
    // A shipment rejected between the two statements is no longer this partner's to read.
    shipments: details.filter((d) => d.partnerId === partnerId).map((d) => d.json),
    nextCursor: last ? encodeCursor({ xid: BigInt(last.xid), id: last.id }) : after ? encodeCursor(after) : null,
    hasMore,
  };
}

/** One of the partner's shipments, or null when it is not theirs (another partner's, another county's, none). */
export async function partnerShipmentOf(partnerId: string, shipmentId: string): Promise<PartnerShipment | null> {
  const rows = await unscopedDb().$queryRaw<{ id: string; shopId: string }[]>`
    SELECT id, "shopId" FROM "Shipment" WHERE id = ${shipmentId} AND "partnerId" = ${partnerId}`;
  if (!rows[0]) return null;
  const [one] = await partnerShipmentsJson(unscopedDb(), [rows[0]]);
  return one && one.partnerId === partnerId ? one.json : null;
}
