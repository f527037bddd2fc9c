import { db } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { isoDateToDate } from "~/lib/time";
import type { BatchFormDefaults, BatchValues } from "./batch-schema";
import { newTraceCode } from "./trace-code.server";

// A shop's harvest and production batches (traceability records with their 合格证).
// Every query names the shop; the public, cross-shop read is trace-page.cross-shop.server.ts.

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The shop's batches, newest harvest first, with the products sold from each. */
export async function listBatches({ shopId, lng }: { shopId: string; lng: string }) {
  const batches = await db().batch.findMany({
    where: { shopId },
    orderBy: [{ harvestDate: "desc" }, { createdAt: "desc" }],
    include: {
      products: { where: { shopId }, include: { product: { select: { titleZh: true, titleEn: true } } } },
    },
  });
  return batches.map((b) => ({
    id: b.id,
    traceCode: b.traceCode,
    productName: pick(lng, b.productNameZh, b.productNameEn),
    harvestDate: isoDay(b.harvestDate),
    quantity: b.quantity,
    quantityUnit: b.quantityUnit,
    products: b.products.map((link) => pick(lng, link.product.titleZh, link.product.titleEn)).sort(),
  }));
}

async function findBatch(shopId: string, batchId: string) {
  return db().batch.findUnique({
    where: { shopId_id: { shopId, id: batchId } },
    include: {
      products: { where: { shopId }, select: { productId: true } },
      inputs: { where: { shopId }, orderBy: { position: "asc" } },
    },
  });
}

/** One batch as the edit form's default values; null when the shop has no such batch. */
export async function getBatchForEdit({ shopId, batchId }: { shopId: string; batchId: string }) {
  const b = await findBatch(shopId, batchId);
  if (!b) return null;
  const values: BatchFormDefaults = {
    productNameZh: b.productNameZh,
    productNameEn: b.productNameEn ?? "",
    harvestDate: isoDay(b.harvestDate),
    originPlotZh: b.originPlotZh,
    originPlotEn: b.originPlotEn ?? "",
    quantity: String(b.quantity),
    quantityUnit: b.quantityUnit,
    testReportZh: b.testReportZh ?? "",
    testReportEn: b.testReportEn ?? "",
    testedAt: b.testedAt ? isoDay(b.testedAt) : "",
    testedBy: b.testedBy ?? "",
    certProducer: b.certProducer,
    certContactPhone: b.certContactPhone,
    certOrigin: b.certOrigin,
    certIssuedOn: isoDay(b.certIssuedOn),
    certCommitments: b.certCommitments,
    certBasis: b.certBasis ?? "",
    products: b.products.map((p) => p.productId),
    inputs: b.inputs.map((input) => ({
      kind: input.kind,
      nameZh: input.nameZh,
      nameEn: input.nameEn ?? "",
      appliedOn: isoDay(input.appliedOn),
      safetyIntervalDays: input.safetyIntervalDays === null ? "" : String(input.safetyIntervalDays),
    })),
  };
  return { id: b.id, traceCode: b.traceCode, values };
}

/** A new batch's 合格证 starts with the cooperative's own name, phone and place. */
export async function newBatchDefaults({
  shopId,
  today,
}: {
  shopId: string;
  today: string;
}): Promise<BatchFormDefaults> {
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId }, include: { county: true } });
  const place = [shop.county.provinceZh, shop.county.cityZh, shop.county.nameZh, shop.townZh, shop.villageZh]
    .filter(Boolean)
    .join("");
  return {
    certProducer: shop.nameZh,
    certContactPhone: shop.contactPhone ?? "",
    certOrigin: place,
    certIssuedOn: today,
    originPlotZh: shop.villageZh,
    certCommitments: ["NO_BANNED_PESTICIDES", "NO_ILLEGAL_ADDITIVES"],
    inputs: [],
  };
}

/**
 * Products a batch may be linked to: the shop's products that are not archived, plus
 * those already linked (so an archived product stays visible where it was ticked).
 */
export async function listLinkableProducts({
  shopId,
  lng,
  linked = [],
}: {
  shopId: string;
  lng: string;
  linked?: string[];
}) {
  const products = await db().product.findMany({
    where: { shopId, OR: [{ status: { not: "ARCHIVED" } }, { id: { in: linked } }] },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, titleZh: true, titleEn: true, status: true },
  });
  return products.map((p) => ({ id: p.id, title: pick(lng, p.titleZh, p.titleEn), status: p.status }));
}

export type SaveBatchResult =
  | { ok: true; batchId: string; traceCode: string }
  | { ok: false; status: 400 | 404; field?: "products"; error?: string };

class TraceCodeCollision extends Error {}

/**
 * Creates a batch (with a fresh trace code) or replaces an existing one's record,
 * its inputs and its product links, in one transaction. Products must be the shop's own.
 */
export async function saveBatch({
  shopId,
  batchId,
  values,
  nextTraceCode = newTraceCode,
}: {
  shopId: string;
  batchId?: string;
  values: BatchValues;
  /** Where new codes come from (tests force a collision through it). */
  nextTraceCode?: () => string;
}): Promise<SaveBatchResult> {
  const existing = batchId ? await findBatch(shopId, batchId) : null;
  if (batchId && !existing) return { ok: false, status: 404 };

  const linkable = await listLinkableProducts({
    shopId,
    lng: "zh-CN",
    linked: existing?.products.map((p) => p.productId),
  });
  const linkableIds = new Set(linkable.map((p) => p.id));
  if (values.products.some((id) => !linkableIds.has(id))) {
    return { ok: false, status: 400, field: "products", error: "batches.errors.productUnknown" };
  }

  const record = {
    productNameZh: values.productNameZh,
    productNameEn: values.productNameEn || null,
    harvestDate: isoDateToDate(values.harvestDate),
    originPlotZh: values.originPlotZh,
    originPlotEn: values.originPlotEn || null,
    quantity: values.quantity,
    quantityUnit: values.quantityUnit,
    testReportZh: values.testReportZh || null,
    testReportEn: values.testReportEn || null,
    testedAt: values.testedAt ? isoDateToDate(values.testedAt) : null,
    testedBy: values.testedBy || null,
    certProducer: values.certProducer,
    certContactPhone: values.certContactPhone,
    certOrigin: values.certOrigin,
    certIssuedOn: isoDateToDate(values.certIssuedOn),
    certCommitments: values.certCommitments,
    certBasis: values.certBasis ?? null,
  };

  const write = (traceCode: string | null) =>
    db().$transaction(async (tx) => {
      let id: string;
      if (existing) {
        id = existing.id;
        await tx.batch.update({ where: { shopId_id: { shopId, id } }, data: record });
        await tx.batchInput.deleteMany({ where: { shopId, batchId: id } });
        await tx.batchProduct.deleteMany({ where: { shopId, batchId: id } });
      } else {
        try {
          id = (await tx.batch.create({ data: { shopId, traceCode: traceCode!, ...record } })).id;
          await tx.traceCode.create({ data: { code: traceCode!, shopId, batchId: id } });
        } catch (error) {
          // The only unique key a new batch can clash on is its trace code's, in this shop or any.
          if ((error as { code?: string }).code === "P2002") throw new TraceCodeCollision();
          throw error;
        }
      }
      if (values.inputs.length) {
        await tx.batchInput.createMany({
          data: values.inputs.map((input, position) => ({
            shopId,
            batchId: id,
            kind: input.kind,
            nameZh: input.nameZh,
            nameEn: input.nameEn || null,
            appliedOn: isoDateToDate(input.appliedOn),
            safetyIntervalDays: input.safetyIntervalDays ?? null,
            position,
          })),
        });
      }
      if (values.products.length) {
        await tx.batchProduct.createMany({
          data: values.products.map((productId) => ({ shopId, batchId: id, productId })),
        });
      }
      return { id, traceCode: existing?.traceCode ?? traceCode! };
    });

  if (existing) {
    const saved = await write(null);
    return { ok: true, batchId: saved.id, traceCode: saved.traceCode };
  }
  // 60 random bits make a clash very unlikely; a few fresh tries make it harmless.
  for (let attempt = 0; ; attempt++) {
    try {
      const saved = await write(nextTraceCode());
      return { ok: true, batchId: saved.id, traceCode: saved.traceCode };
    } catch (error) {
      if (!(error instanceof TraceCodeCollision) || attempt >= 4) throw error;
    }
  }
}

/** What a printed label shows, in the page's language; null when the shop has no such batch. */
export async function getBatchLabel({ shopId, batchId, lng }: { shopId: string; batchId: string; lng: string }) {
  const b = await db().batch.findUnique({ where: { shopId_id: { shopId, id: batchId } } });
  if (!b) return null;
  return {
    id: b.id,
    traceCode: b.traceCode,
    productName: pick(lng, b.productNameZh, b.productNameEn),
    harvestDate: isoDay(b.harvestDate),
    quantity: b.quantity,
    quantityUnit: b.quantityUnit,
    producer: b.certProducer,
    contactPhone: b.certContactPhone,
    origin: b.certOrigin,
    issuedOn: isoDay(b.certIssuedOn),
  };
}
