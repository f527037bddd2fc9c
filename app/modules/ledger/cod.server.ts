import { asTx, db } from "~/db/index.server";
import { isUniqueViolation } from "~/modules/catalog/outcome";
import { recordCodRemitted } from "./ledger.server";

// Cash on delivery held by logistics partners (issue #10; docs/decisions/016). The model, as in
// decision 013 where the platform collects and pays cooperatives out: the partner collects the
// cash at the door (COD_HELD_BY_PARTNER, −, the shop's money the platform has not got), pays it to
// the platform, and the platform admin records that (COD_REMITTED, +); the platform then pays the
// cooperative with its other sales by the usual payouts. Until then the partner owes the cash.

export interface PartnerCod {
  partnerId: string;
  partnerNameZh: string;
  partnerNameEn: string | null;
  /** Collected at doors, in total. */
  collectedFen: number;
  /** Paid in to the platform so far. */
  remittedFen: number;
  /** What the partner still owes (collected − paid in). */
  owedFen: number;
  /** Deliveries whose reported cash differed from the amount to collect (or was not reported). */
  flagged: { shopOrderNumber: string; expectedFen: number | null; reportedFen: number | null }[];
}

/** Per partner: the cash it collected for this shop, paid in, and still owes. Every read names the shop. */
export async function codHeldByPartners(shopId: string): Promise<PartnerCod[]> {
  const [sums, flaggedRows] = await Promise.all([
    db().ledgerEntry.groupBy({
      by: ["partnerId", "kind"],
      where: { shopId, kind: { in: ["COD_HELD_BY_PARTNER", "COD_REMITTED"] } },
      _sum: { amountFen: true },
    }),
    db().ledgerEntry.findMany({
      where: { shopId, kind: "COD_HELD_BY_PARTNER", memo: { contains: "cod-mismatch" } },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { partnerId: true, memo: true, shopOrder: { select: { number: true } } },
    }),
  ]);
  const ids = [...new Set(sums.map((s) => s.partnerId).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return [];
  const partners = await db().logisticsPartner.findMany({
    where: { id: { in: ids } },
    select: { id: true, nameZh: true, nameEn: true },
    orderBy: { createdAt: "asc" },
  });
  return partners.map((p) => {
    const sum = (kind: string) =>
      sums.filter((s) => s.partnerId === p.id && s.kind === kind).reduce((n, s) => n + (s._sum.amountFen ?? 0), 0);
    const collectedFen = -sum("COD_HELD_BY_PARTNER");
    const remittedFen = sum("COD_REMITTED");
    return {
      partnerId: p.id,
      partnerNameZh: p.nameZh,
      partnerNameEn: p.nameEn,
      collectedFen,
      remittedFen,
      owedFen: collectedFen - remittedFen,
      flagged: flaggedRows
        .filter((f) => f.partnerId === p.id)
        .map((f) => ({ shopOrderNumber: f.shopOrder?.number ?? "", ...mismatchOf(f.memo ?? "") })),
    };
  });
}

/** The amounts a mismatch memo names ("… cod-mismatch expected=18000 reported=17500"). */
function mismatchOf(memo: string): { expectedFen: number | null; reportedFen: number | null } {
  const expected = /expected=(\d+)/.exec(memo)?.[1];
  const reported = /reported=(\d+)/.exec(memo)?.[1];
  return { expectedFen: expected ? Number(expected) : null, reportedFen: reported ? Number(reported) : null };
}

export type RemittanceOutcome = { ok: true; already: boolean } | { ok: false; error: "nothingOwed" | "amountTooHigh" };

/**
 * The platform admin records that a partner paid the platform cash it held for this shop:
 * never more than the partner owes the shop, once per form (the form's one-time key is the id).
 */
export async function recordCodRemittance({
  key,
  shopId,
  partnerId,
  amountFen,
  reference,
  userId,
  now = new Date(),
}: {
  key: string;
  shopId: string;
  partnerId: string;
  amountFen: number;
  reference: string | null;
  userId: string | null;
  now?: Date;
}): Promise<RemittanceOutcome> {
  try {
    return await db().$transaction(async (scoped) => {
      const tx = asTx(scoped);
      const existing = await tx.codRemittance.findFirst({ where: { id: key, shopId }, select: { id: true } });
      if (existing) return { ok: true as const, already: true };
      // One recorder at a time per shop: the shop row is the lock (as for payouts).
      await tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shopId} FOR UPDATE`;
      const sums = await tx.ledgerEntry.aggregate({
        where: { shopId, partnerId, kind: { in: ["COD_HELD_BY_PARTNER", "COD_REMITTED"] } },
        _sum: { amountFen: true },
      });
      const owed = -(sums._sum.amountFen ?? 0);
      if (owed <= 0) return { ok: false as const, error: "nothingOwed" as const };
      if (amountFen <= 0 || amountFen > owed) return { ok: false as const, error: "amountTooHigh" as const };
      await tx.codRemittance.create({
        data: { id: key, shopId, partnerId, amountFen, reference, createdById: userId, createdAt: now },
      });
      await recordCodRemitted(tx, { id: key, shopId, partnerId, amountFen, reference }, now);
      return { ok: true as const, already: false };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: true, already: true };
    throw error;
  }
}
