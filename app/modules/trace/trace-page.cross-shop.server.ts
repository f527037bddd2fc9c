import { readDb, unscopedReadDb } from "~/db/index.server";
import { pick } from "~/lib/i18n";
import { shopBrandImages } from "~/modules/media/images.server";
import { shopHeader, storefrontShopInclude } from "~/modules/tenancy/storefront.server";
import { daysBetween } from "./batch-schema";

// The public trace page's one cross-shop read: a batch by its trace code. Codes are
// unique across shops, and a buyer who scans a label does not know the shop, so the
// lookup cannot name one. Only batches of LIVE shops are public. A printed record tolerates a
// second of lag: read from the replica when the request may (docs/decisions/024-stateless-nodes.md);
// the scan count (trace-scans.cross-shop.server.ts) is a write and stays on the primary.

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The record "from field to table" behind a trace code, in the page's language; null
 * when no LIVE shop has it, or when the request came through another shop's own host.
 */
export async function getPublicTrace({
  traceCode,
  lng,
  hostShopId,
}: {
  traceCode: string;
  lng: string;
  hostShopId: string | null;
}) {
  // The code names its shop (decision 028, follow-up 4); the batch is then read within that shop.
  const code = await unscopedReadDb().traceCode.findUnique({
    where: { code: traceCode },
    select: { shopId: true, batchId: true },
  });
  if (!code || (hostShopId && hostShopId !== code.shopId)) return null;
  const batch = await unscopedReadDb().batch.findUnique({
    where: { shopId_id: { shopId: code.shopId, id: code.batchId } },
    include: {
      shop: { include: storefrontShopInclude },
      inputs: { orderBy: { position: "asc" } },
      products: {
        include: {
          product: {
            select: {
              slug: true,
              status: true,
              titleZh: true,
              titleEn: true,
              giName: true,
              giAuthNumber: true,
              position: true,
            },
          },
        },
      },
    },
  });
  if (!batch || batch.shop.status !== "LIVE") return null;
  if (hostShopId && hostShopId !== batch.shopId) return null;

  const shop = { ...batch.shop, ...(await shopBrandImages(batch.shop, readDb())) };
  const basePath = hostShopId ? "" : `/s/${shop.slug}`;
  const harvestDate = isoDay(batch.harvestDate);
  const inputs = batch.inputs.map((input) => {
    const appliedOn = isoDay(input.appliedOn);
    return {
      kind: input.kind,
      name: pick(lng, input.nameZh, input.nameEn),
      appliedOn,
      safetyIntervalDays: input.safetyIntervalDays,
      daysBeforeHarvest: daysBetween(appliedOn, harvestDate),
    };
  });
  // "Harvested N days after the last application" of anything that has a safety interval.
  const treated = inputs.filter((input) => input.safetyIntervalDays !== null);
  const lastTreatment = treated.length ? Math.min(...treated.map((input) => input.daysBeforeHarvest)) : null;

  // Draft products are not public yet; archived ones were sold from this batch and stay named.
  const products = batch.products
    .map((link) => link.product)
    .filter((product) => product.status !== "DRAFT")
    .sort((a, b) => a.position - b.position)
    .map((product) => ({
      title: pick(lng, product.titleZh, product.titleEn),
      href: product.status === "ACTIVE" ? `${basePath}/p/${product.slug}` : null,
      gi: product.giName ? { name: product.giName, authNumber: product.giAuthNumber } : null,
    }));

  return {
    header: shopHeader({ shop, basePath, viaHost: Boolean(hostShopId) }, lng),
    cooperative: {
      name: pick(lng, shop.nameZh, shop.nameEn),
      village: pick(lng, shop.villageZh, shop.villageEn),
      town: pick(lng, shop.townZh, shop.townEn),
      county: pick(lng, shop.county.nameZh, shop.county.nameEn),
      city: pick(lng, shop.county.cityZh, shop.county.cityEn),
      creditCode: shop.creditCode,
      href: shop.status === "LIVE" ? basePath || "/" : null,
    },
    batch: {
      traceCode: batch.traceCode,
      productName: pick(lng, batch.productNameZh, batch.productNameEn),
      harvestDate,
      originPlot: pick(lng, batch.originPlotZh, batch.originPlotEn),
      quantity: batch.quantity,
      quantityUnit: batch.quantityUnit,
    },
    inputs,
    lastTreatmentDaysBeforeHarvest: lastTreatment,
    test:
      batch.testReportZh || batch.testReportEn || batch.testedAt || batch.testedBy
        ? {
            report: pick(lng, batch.testReportZh, batch.testReportEn),
            testedAt: batch.testedAt ? isoDay(batch.testedAt) : null,
            testedBy: batch.testedBy,
          }
        : null,
    certificate: {
      producer: batch.certProducer,
      contactPhone: batch.certContactPhone,
      origin: batch.certOrigin,
      issuedOn: isoDay(batch.certIssuedOn),
      commitments: batch.certCommitments,
      basis: batch.certBasis,
    },
    products,
  };
}

export type PublicTrace = NonNullable<Awaited<ReturnType<typeof getPublicTrace>>>;
