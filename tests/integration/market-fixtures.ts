import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { vi } from "vitest";
import { unscopedDb } from "~/db/index.server";
import { syncTenants } from "~/modules/tenants/sync.server";
import { samplePack, writePacks } from "../support/packs";

// The real demo cooperatives in tenants/, plus shops and products the marketplace must never list.

export const NOW = new Date("2026-11-27T02:00:00Z"); // November in Shanghai

export interface PackProduct {
  slug: string;
  kind: string;
  title: { zh: string; en?: string };
  featured?: boolean;
  harvestMonths?: number[];
}

export function demoPack(slug: string): { slug: string; products: PackProduct[] } {
  return JSON.parse(fs.readFileSync(path.resolve("tenants", slug, "tenant.json"), "utf8"));
}

export const HIDDEN_SHOPS = ["market-draft", "market-suspended"];

/**
 * Imports tenants/ and three test shops that all sell "水蜜桃礼盒" (peach-box): one DRAFT, one
 * SUSPENDED, and one LIVE whose peach box is DRAFT, tea ARCHIVED and experience without an
 * active variant. None of these may ever be listed.
 */
export async function importMarket() {
  const demo = await syncTenants(path.resolve("tenants"), { now: NOW });
  const draft = samplePack("market-draft", "329901");
  (draft as Record<string, unknown>).status = "DRAFT";
  const extra = await syncTenants(writePacks([draft, samplePack("market-suspended", "329902"), samplePack("market-live", "329903")]), { now: NOW });
  const failed = [...demo, ...extra].filter((r) => !r.ok);
  if (failed.length) throw new Error(`import failed: ${JSON.stringify(failed)}`);

  const prisma = unscopedDb();
  await prisma.shop.update({ where: { slug: "market-suspended" }, data: { status: "SUSPENDED" } });
  const live = await prisma.shop.findUniqueOrThrow({ where: { slug: "market-live" } });
  await prisma.product.update({ where: { shopId_slug: { shopId: live.id, slug: "peach-box" } }, data: { status: "DRAFT" } });
  await prisma.product.update({ where: { shopId_slug: { shopId: live.id, slug: "tea-tin" } }, data: { status: "ARCHIVED" } });
  const picking = await prisma.product.findUniqueOrThrow({ where: { shopId_slug: { shopId: live.id, slug: "picking" } } });
  await prisma.variant.updateMany({ where: { shopId: live.id, productId: picking.id }, data: { status: "ARCHIVED" } });
}

/** Listed products (LIVE shop, ACTIVE, an active variant), counted the long way round. */
export async function listedProducts() {
  return unscopedDb().product.findMany({
    where: { status: "ACTIVE", shop: { status: "LIVE" }, variants: { some: { status: "ACTIVE" } } },
    select: { slug: true, kind: true, featured: true, harvestMonths: true, shop: { select: { slug: true } } },
  });
}

function ownerOf(proto: object, name: string): Record<string, unknown> {
  let owner: object | null = proto;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, name)) owner = Object.getPrototypeOf(owner);
  if (!owner) throw new Error(`no ${name} method`);
  return owner as Record<string, unknown>;
}

/**
 * Counts the SQL statements `fn` sends to the database, at the driver: pg's Pool.query on a
 * server, PGlite.query when embedded (what Prisma's adapters call for every statement).
 */
export async function countStatements<T>(fn: () => Promise<T>) {
  const spies = [vi.spyOn(ownerOf(pg.Pool.prototype, "query") as never, "query"), vi.spyOn(ownerOf(PGlite.prototype, "query") as never, "query")];
  try {
    const result = await fn();
    return { result, statements: spies.reduce((sum, spy) => sum + (spy as unknown as { mock: { calls: unknown[] } }).mock.calls.length, 0) };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
