import type { ScopedDb } from "~/db/shop-scope.server";
import { db, type Tx as DbTx } from "~/db/index.server";
import { indexShopProducts } from "~/modules/search/index.server";
import { isoDateToDate, shanghaiLocalToUtc, shanghaiToday } from "~/lib/time";
import { processImage, type ProcessedImage } from "~/modules/media/process.server";
import type { ImageRoleName } from "~/modules/media/presets";
import { mediaStorage, type MediaStorage } from "~/modules/media/storage.server";
import type { PackProblem } from "./load-pack.server";
import type { PackProduct, TenantPack } from "./pack-schema";

// Imports one validated pack into the database idempotently: rows are matched by
// natural keys (county code, shop slug, product slug, SKU, trace code, image hash)
// and only changed fields are written, so a second run changes nothing.
// Stock is the pack's opening stock: set when a variant is created, never reset later,
// because orders and adjustments own it from then on (docs/decisions/005-tenant-packs.md).

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
}

export class PackImportError extends Error {
  constructor(public problem: Omit<PackProblem, "file">) {
    super(problem.key);
  }
}

type Tx = Parameters<Parameters<ScopedDb["$transaction"]>[0]>[0];
type Row = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  }
  return (a ?? null) === (b ?? null);
}

/** The fields of `desired` whose values differ from `existing`. */
export function changedFields<T extends Row>(existing: Row, desired: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (!same(existing[key], value)) (changes as Row)[key] = value;
  }
  return changes;
}

const ROLE_OF = { logo: "LOGO", banner: "BANNER", product: "PRODUCT" } as const;

async function processAssets(pack: TenantPack, assets: Map<string, Buffer>, shopKey: string, storage: MediaStorage) {
  const processed = new Map<string, ProcessedImage>();
  const jobs: [string, ImageRoleName][] = [
    [pack.logo, ROLE_OF.logo],
    [pack.banner, ROLE_OF.banner],
    ...pack.products.flatMap((p) => p.images.map((img): [string, ImageRoleName] => [img.file, ROLE_OF.product])),
  ];
  for (const [file, role] of jobs) {
    const key = `${role}:${file}`;
    if (processed.has(key)) continue;
    try {
      processed.set(key, await processImage(assets.get(file)!, role, shopKey, storage));
    } catch (error) {
      throw new PackImportError({ field: file, key: "pack.badImage", values: { asset: file, detail: (error as Error).message } });
    }
  }
  return processed;
}

/** Imports a pack. Image files are written first (content-addressed, harmless if unused); rows in one transaction. */
export async function importPack(
  pack: TenantPack,
  assets: Map<string, Buffer>,
  options: { storage?: MediaStorage; now?: Date } = {},
): Promise<ImportCounts> {
  const storage = options.storage ?? mediaStorage();
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, archived: 0 };
  const client = db();

  // The shop's id names its media folder, so find or reserve it before processing images.
  const existingShop = await client.shop.findUnique({ where: { slug: pack.slug } });
  if (existingShop && !existingShop.isDemo) {
    throw new PackImportError({ field: "slug", key: "pack.slugTaken", values: { slug: pack.slug } });
  }
  const shopId = existingShop?.id ?? newShopId(pack.slug);
  const images = await processAssets(pack, assets, shopId, storage);

  await client.$transaction(
    async (tx) => {
      const note = (kind: "created" | "updated" | "unchanged" | "archived") => counts[kind]++;

      // County (platform-owned, shared by the shops in it).
      const countyData = {
        slug: pack.county.slug,
        nameZh: pack.county.nameZh,
        nameEn: pack.county.nameEn,
        cityZh: pack.county.cityZh,
        cityEn: pack.county.cityEn,
      };
      let county = await tx.county.findUnique({ where: { code: pack.county.code } });
      if (!county) {
        county = await tx.county.create({ data: { code: pack.county.code, ...countyData } });
        note("created");
      } else {
        const changes = changedFields(county, countyData);
        if (Object.keys(changes).length) {
          county = await tx.county.update({ where: { id: county.id }, data: changes });
          note("updated");
        } else note("unchanged");
      }
      const partnerIds = pack.county.partners ? await syncPartners(tx, county.id, pack.county.partners, note) : new Map();
      if (pack.county.pickupPoints)
        await syncPickupPoints(tx, county.id, pack.county.pickupPoints, partnerIds, note);

      if (pack.creditCode) {
        const holder = await tx.shop.findUnique({ where: { creditCode: pack.creditCode } });
        if (holder && holder.id !== shopId) {
          throw new PackImportError({ field: "creditCode", key: "pack.creditCodeTaken" });
        }
      }
      // A pack may ask for a domain, never verify one: it is served only once its DNS record
      // is checked (issue #9). A name another shop has verified cannot be asked for.
      if (pack.customDomain) {
        const holder = await tx.shop.findUnique({ where: { verifiedDomain: pack.customDomain } });
        if (holder && holder.id !== shopId) {
          throw new PackImportError({ field: "customDomain", key: "pack.domainTaken" });
        }
      }

      const shopData = {
        status: pack.status,
        nameZh: pack.name.zh,
        nameEn: pack.name.en,
        countyId: county.id,
        townZh: pack.town?.zh ?? null,
        townEn: pack.town?.en ?? null,
        villageZh: pack.village.zh,
        villageEn: pack.village.en,
        taglineZh: pack.tagline?.zh ?? null,
        taglineEn: pack.tagline?.en ?? null,
        storyZh: pack.story.zh,
        storyEn: pack.story.en,
        creditCode: pack.creditCode,
        contactName: pack.contact.name,
        contactPhone: pack.contact.phone,
        contactEmail: pack.contact.email ?? null,
        themePrimary: pack.theme.primary.toLowerCase(),
        themeAccent: pack.theme.accent.toLowerCase(),
        customDomain: pack.customDomain ?? null,
      };
      if (!existingShop) {
        await tx.shop.create({
          data: { id: shopId, slug: pack.slug, isDemo: true, approvedAt: new Date(), ...shopData },
        });
        note("created");
      } else {
        const changes = changedFields(existingShop, shopData);
        if (Object.keys(changes).length) {
          // Another domain starts unverified, as when the owner changes it.
          const domainReset =
            "customDomain" in changes
              ? { verifiedDomain: null, customDomainVerifiedAt: null, customDomainCheckedAt: null, customDomainFailures: 0, customDomainFailingSince: null, customDomainError: null }
              : {};
          await tx.shop.update({ where: { id: shopId }, data: { ...changes, ...domainReset } });
          note("updated");
        } else note("unchanged");
      }

      // Brand images.
      const logoId = await upsertImage(tx, shopId, null, "LOGO", images.get(`LOGO:${pack.logo}`)!, { zh: `${pack.name.zh} 标志`, en: `${pack.name.en} logo` }, 0, note);
      const bannerId = await upsertImage(tx, shopId, null, "BANNER", images.get(`BANNER:${pack.banner}`)!, { zh: pack.name.zh, en: pack.name.en }, 0, note);
      const current = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
      const brand = changedFields(current, { logoImageId: logoId, bannerImageId: bannerId });
      if (Object.keys(brand).length) await tx.shop.update({ where: { id: shopId }, data: brand });

      await syncCertifications(tx, shopId, pack, note);

      const productIds = new Map<string, string>();
      for (const [position, product] of pack.products.entries()) {
        productIds.set(product.slug, await syncProduct(tx, shopId, product, position, images, options.now ?? new Date(), note));
      }
      // Products and variants the pack no longer lists are archived, never deleted (orders refer to them).
      const archivedProducts = await tx.product.updateMany({
        where: { shopId, slug: { notIn: [...productIds.keys()] }, status: { not: "ARCHIVED" } },
        data: { status: "ARCHIVED" },
      });
      counts.archived += archivedProducts.count;
      // Search words of the products whose text (or shop's) is new or changed.
      await indexShopProducts(tx as unknown as DbTx, { shopId });

      for (const batch of pack.batches) await syncBatch(tx, shopId, batch, productIds, note);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return counts;
}

function newShopId(slug: string) {
  // Stable, readable and unique enough for a demo import; cuid for everything else.
  const random = Math.random().toString(36).slice(2, 10);
  return `shop${slug.replace(/[^a-z0-9]/g, "").slice(0, 16)}${random}`.slice(0, 40);
}

type Note = (kind: "created" | "updated" | "unchanged" | "archived") => void;

async function upsertImage(
  tx: Tx,
  shopId: string,
  productId: string | null,
  role: "LOGO" | "BANNER" | "PRODUCT",
  processed: ProcessedImage,
  alt: { zh: string; en?: string },
  position: number,
  note: Note,
): Promise<string> {
  const existing = await tx.image.findFirst({
    where: { shopId, productId, role, contentHash: processed.contentHash },
  });
  const data = { altZh: alt.zh, altEn: alt.en ?? null, position, dominantColor: processed.dominantColor };
  if (existing) {
    const changes = changedFields(existing, data);
    if (Object.keys(changes).length) {
      await tx.image.update({ where: { shopId_id: { shopId, id: existing.id } }, data: changes });
      note("updated");
    } else note("unchanged");
    return existing.id;
  }
  const created = await tx.image.create({
    data: {
      shopId,
      productId,
      role,
      contentHash: processed.contentHash,
      width: processed.width,
      height: processed.height,
      bytes: processed.bytes,
      ...data,
      // The renditions' shopId is the image's: the key to it is (shopId, imageId).
      renditions: { create: processed.renditions },
    },
  });
  note("created");
  return created.id;
}

async function syncCertifications(tx: Tx, shopId: string, pack: TenantPack, note: Note) {
  const desired = pack.certifications.map((c, position) => ({
    kind: c.kind,
    nameZh: c.name.zh,
    nameEn: c.name.en,
    number: c.number ?? null,
    issuerZh: c.issuer?.zh ?? null,
    issuerEn: c.issuer?.en ?? null,
    validUntil: c.validUntil ? isoDateToDate(c.validUntil) : null,
    position,
  }));
  const existing = await tx.shopCertification.findMany({ where: { shopId }, orderBy: { position: "asc" } });
  const unchanged =
    existing.length === desired.length && existing.every((row, i) => Object.keys(changedFields(row, desired[i]!)).length === 0);
  if (unchanged) {
    if (desired.length) note("unchanged");
    return;
  }
  await tx.shopCertification.deleteMany({ where: { shopId } });
  if (desired.length) await tx.shopCertification.createMany({ data: desired.map((c) => ({ ...c, shopId })) });
  note(existing.length ? "updated" : "created");
}

async function syncProduct(
  tx: Tx,
  shopId: string,
  product: PackProduct,
  position: number,
  images: Map<string, ProcessedImage>,
  now: Date,
  note: Note,
): Promise<string> {
  const data = {
    kind: product.kind,
    status: product.status,
    featured: product.featured,
    position,
    titleZh: product.title.zh,
    titleEn: product.title.en ?? null,
    summaryZh: product.summary?.zh ?? null,
    summaryEn: product.summary?.en ?? null,
    descriptionZh: product.description?.zh ?? null,
    descriptionEn: product.description?.en ?? null,
    harvestMonths: [...product.harvestMonths].sort((a, b) => a - b),
    coldChain: product.kind === "PRODUCE" ? product.coldChain : false,
    shelfLifeDays: product.kind === "EXPERIENCE" ? null : (product.shelfLifeDays ?? null),
    storageZh: product.kind === "EXPERIENCE" ? null : (product.storage?.zh ?? null),
    storageEn: product.kind === "EXPERIENCE" ? null : (product.storage?.en ?? null),
    presale: product.kind === "PRODUCE" && Boolean(product.presale),
    presaleYieldCap: product.kind === "PRODUCE" ? (product.presale?.yieldCap ?? null) : null,
    presaleShipBy: product.kind === "PRODUCE" && product.presale ? isoDateToDate(product.presale.shipBy) : null,
    giName: product.kind === "EXPERIENCE" ? null : (product.gi?.name ?? null),
    giAuthNumber: product.kind === "EXPERIENCE" ? null : (product.gi?.authNumber ?? null),
    durationMinutes: product.kind === "EXPERIENCE" ? product.durationMinutes : null,
    meetingPointZh: product.kind === "EXPERIENCE" ? product.meetingPoint.zh : null,
    meetingPointEn: product.kind === "EXPERIENCE" ? (product.meetingPoint.en ?? null) : null,
    includedZh: product.kind === "EXPERIENCE" ? (product.included?.zh ?? null) : null,
    includedEn: product.kind === "EXPERIENCE" ? (product.included?.en ?? null) : null,
  };
  const existing = await tx.product.findUnique({ where: { shopId_slug: { shopId, slug: product.slug } } });
  let productId: string;
  if (!existing) {
    productId = (await tx.product.create({ data: { shopId, slug: product.slug, ...data } })).id;
    note("created");
  } else {
    productId = existing.id;
    const changes = changedFields(existing, data);
    if (Object.keys(changes).length) {
      await tx.product.update({ where: { shopId_id: { shopId, id: productId } }, data: changes });
      note("updated");
    } else note("unchanged");
  }

  // Images: keep those still listed (matched by content), drop the rest.
  const keep: string[] = [];
  for (const [i, image] of product.images.entries()) {
    keep.push(
      await upsertImage(tx, shopId, productId, "PRODUCT", images.get(`PRODUCT:${image.file}`)!, image.alt, i, note),
    );
  }
  const dropped = await tx.image.deleteMany({ where: { shopId, productId, id: { notIn: keep } } });
  counts(note, "archived", dropped.count);

  // Variants by SKU.
  const skus: string[] = [];
  for (const [i, variant] of product.variants.entries()) {
    skus.push(variant.sku);
    const variantData = {
      productId,
      titleZh: variant.title.zh,
      titleEn: variant.title.en ?? null,
      unit: variant.unit,
      priceFen: variant.priceFen,
      compareAtFen: variant.compareAtFen ?? null,
      weightGrams: variant.weightGrams ?? null,
      status: "ACTIVE" as const,
      position: i,
    };
    const found = await tx.variant.findUnique({ where: { shopId_sku: { shopId, sku: variant.sku } } });
    if (!found) {
      await tx.variant.create({ data: { shopId, sku: variant.sku, stock: variant.stock, ...variantData } });
      note("created");
    } else {
      const changes = changedFields(found, variantData);
      if (Object.keys(changes).length) {
        await tx.variant.update({ where: { shopId_id: { shopId, id: found.id } }, data: changes });
        note("updated");
      } else note("unchanged");
    }
  }
  const archivedVariants = await tx.variant.updateMany({
    where: { shopId, productId, sku: { notIn: skus }, status: "ACTIVE" },
    data: { status: "ARCHIVED" },
  });
  counts(note, "archived", archivedVariants.count);

  if (product.kind === "EXPERIENCE") {
    const minutes = product.durationMinutes;
    const desired = [
      ...product.slots.map((s) => ({ startsAt: shanghaiLocalToUtc(s.startsAt), capacity: s.capacity })),
      ...(product.slotSchedule ? scheduleSlots(product.slotSchedule, now) : []),
    ];
    for (const slot of desired) {
      const endsAt = new Date(slot.startsAt.getTime() + minutes * 60_000);
      const found = await tx.experienceSlot.findUnique({
        where: { shopId_productId_startsAt: { shopId, productId, startsAt: slot.startsAt } },
      });
      if (!found) {
        await tx.experienceSlot.create({ data: { shopId, productId, startsAt: slot.startsAt, endsAt, capacity: slot.capacity } });
        note("created");
      } else {
        const changes = changedFields(found, { endsAt, capacity: Math.max(slot.capacity, found.booked) });
        if (Object.keys(changes).length) {
          await tx.experienceSlot.update({ where: { shopId_id: { shopId, id: found.id } }, data: changes });
          note("updated");
        } else note("unchanged");
      }
    }
  }
  return productId;
}

/**
 * The county's pickup points, matched by county and code. A pack adds and updates the points
 * it lists; it never removes one (the county is shared by its shops, and orders refer to them).
 */
async function syncPickupPoints(
  tx: Tx,
  countyId: string,
  points: NonNullable<TenantPack["county"]["pickupPoints"]>,
  partnerIds: Map<string, string>,
  note: Note,
) {
  for (const point of points) {
    const data = {
      kind: point.kind,
      nameZh: point.name.zh,
      nameEn: point.name.en,
      addressZh: point.address.zh,
      addressEn: point.address.en,
      active: true,
      ...(point.partner !== undefined ? { partnerId: partnerIds.get(point.partner) ?? null } : {}),
      ...(point.city ? { cityZh: point.city.zh, cityEn: point.city.en } : {}),
      ...(point.district ? { districtZh: point.district.zh, districtEn: point.district.en } : {}),
    };
    const found = await tx.pickupPoint.findUnique({ where: { countyId_code: { countyId, code: point.code } } });
    if (!found) {
      await tx.pickupPoint.create({ data: { countyId, code: point.code, ...data } });
      note("created");
      continue;
    }
    const changes = changedFields(found, data);
    if (Object.keys(changes).length) {
      await tx.pickupPoint.update({ where: { id: found.id }, data: changes });
      note("updated");
    } else note("unchanged");
  }
}

/**
 * The county's logistics partners (issue #10), matched by county and Chinese name: a pack adds
 * and updates the partners it lists and never removes one (shipments and ledger entries name
 * them). No API key or signing secret is made here: operators make keys with the CLI.
 */
async function syncPartners(
  tx: Tx,
  countyId: string,
  partners: NonNullable<TenantPack["county"]["partners"]>,
  note: Note,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const partner of partners) {
    const data = {
      nameEn: partner.name.en ?? null,
      kind: partner.kind,
      services: [...partner.services].sort(),
      areas: partner.areas ?? [],
      contactPhone: partner.contactPhone ?? null,
    };
    const found = await tx.logisticsPartner.findFirst({
      where: { countyId, nameZh: partner.name.zh },
      orderBy: { createdAt: "asc" },
    });
    if (!found) {
      const created = await tx.logisticsPartner.create({
        data: { countyId, nameZh: partner.name.zh, ...data },
        select: { id: true },
      });
      ids.set(partner.name.zh, created.id);
      note("created");
      continue;
    }
    ids.set(partner.name.zh, found.id);
    const same =
      found.nameEn === data.nameEn &&
      found.kind === data.kind &&
      [...found.services].sort().join() === data.services.join() &&
      found.areas.join("\u0000") === data.areas.join("\u0000") &&
      found.contactPhone === data.contactPhone;
    if (same) note("unchanged");
    else {
      await tx.logisticsPartner.update({ where: { id: found.id }, data });
      note("updated");
    }
  }
  return ids;
}

function counts(note: Note, kind: "archived", n: number) {
  for (let i = 0; i < n; i++) note(kind);
}

/** Slot start times for a weekly schedule, from tomorrow (Shanghai) for the given number of weeks. */
export function scheduleSlots(
  schedule: { weekdays: number[]; times: string[]; weeks: number; capacity: number },
  now: Date,
): { startsAt: Date; capacity: number }[] {
  const today = isoDateToDate(shanghaiToday(now));
  const slots: { startsAt: Date; capacity: number }[] = [];
  for (let day = 1; day <= schedule.weeks * 7; day++) {
    const date = new Date(today.getTime() + day * 86_400_000);
    if (!schedule.weekdays.includes(date.getUTCDay())) continue;
    const iso = date.toISOString().slice(0, 10);
    for (const time of schedule.times) {
      slots.push({ startsAt: shanghaiLocalToUtc(`${iso}T${time}`), capacity: schedule.capacity });
    }
  }
  return slots;
}

async function syncBatch(
  tx: Tx,
  shopId: string,
  batch: TenantPack["batches"][number],
  productIds: Map<string, string>,
  note: Note,
) {
  // Trace codes are global (the public /t/:code page), so look across shops: a code
  // held by another shop is refused rather than moved.
  const holder = await tx.traceCode.findUnique({ where: { code: batch.traceCode }, select: { shopId: true } });
  if (holder && holder.shopId !== shopId) throw new PackImportError({ field: "batches", key: "pack.traceCodeTaken", values: { code: batch.traceCode } });

  const data = {
    productNameZh: batch.productName.zh,
    productNameEn: batch.productName.en ?? null,
    harvestDate: isoDateToDate(batch.harvestDate),
    originPlotZh: batch.originPlot.zh,
    originPlotEn: batch.originPlot.en ?? null,
    quantity: batch.quantity,
    quantityUnit: batch.quantityUnit,
    testReportZh: batch.testReport?.zh ?? null,
    testReportEn: batch.testReport?.en ?? null,
    testedAt: batch.testedAt ? isoDateToDate(batch.testedAt) : null,
    testedBy: batch.testedBy ?? null,
    certProducer: batch.certificate.producer,
    certContactPhone: batch.certificate.contactPhone,
    certOrigin: batch.certificate.origin,
    certIssuedOn: isoDateToDate(batch.certificate.issuedOn),
    certCommitments: batch.certificate.commitments,
    certBasis: batch.certificate.basis ?? null,
  };
  const existing = await tx.batch.findFirst({
    where: { shopId, traceCode: batch.traceCode },
    include: { products: true, inputs: { orderBy: { position: "asc" } } },
  });
  let batchId: string;
  if (!existing) {
    batchId = (await tx.batch.create({ data: { shopId, traceCode: batch.traceCode, ...data } })).id;
    // The code may outlive a deleted batch of this shop's: it points at the new one.
    await tx.traceCode.upsert({
      where: { code: batch.traceCode },
      create: { code: batch.traceCode, shopId, batchId },
      update: { batchId },
    });
    note("created");
  } else {
    batchId = existing.id;
    const changes = changedFields(existing, data);
    if (Object.keys(changes).length) {
      await tx.batch.update({ where: { shopId_id: { shopId, id: batchId } }, data: changes });
      note("updated");
    } else note("unchanged");
  }

  const wantProducts = batch.products.map((slug) => productIds.get(slug)!).sort();
  const haveProducts = (existing?.products ?? []).map((p) => p.productId).sort();
  if (!same(wantProducts, haveProducts)) {
    await tx.batchProduct.deleteMany({ where: { shopId, batchId } });
    await tx.batchProduct.createMany({ data: wantProducts.map((productId) => ({ shopId, batchId, productId })) });
    if (existing) note("updated");
  }

  const wantInputs = batch.inputs.map((input, position) => ({
    kind: input.kind,
    nameZh: input.name.zh,
    nameEn: input.name.en ?? null,
    appliedOn: isoDateToDate(input.appliedOn),
    safetyIntervalDays: input.safetyIntervalDays ?? null,
    position,
  }));
  const haveInputs = existing?.inputs ?? [];
  const inputsSame =
    haveInputs.length === wantInputs.length &&
    haveInputs.every((row, i) => Object.keys(changedFields(row, wantInputs[i]!)).length === 0);
  if (!inputsSame) {
    await tx.batchInput.deleteMany({ where: { shopId, batchId } });
    if (wantInputs.length) await tx.batchInput.createMany({ data: wantInputs.map((i) => ({ ...i, shopId, batchId })) });
    if (existing) note("updated");
  }
}
