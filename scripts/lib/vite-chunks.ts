import path from "node:path";
import type { ManualChunkMeta } from "rollup";
import type { Plugin } from "vite";

// How the browser's JavaScript is cut into files (docs/decisions/030-client-chunks.md).
//
// Left to itself, Rollup makes one file per set of routes sharing a module: a buyer's page
// preloaded 20–22 files, most under 1 KB, and Lighthouse's simulated phone network counts
// every one before the first paint. Instead, buyers' pages load a few files shaped after them:
//   framework   React, React DOM, Remix and its router, and what entry.client and root load
//               on every page (the small i18n stand-in, the nonce context);
//   storefront  what the product page shares with other pages (the shop's frame, prices,
//               ratings, pictures): the page a shared link opens, and the one with a budget;
//   market      what the buyers' list pages (home, search, a shop's home) share that the
//               product page does not load (product cards, pagination, the search box).
// Code of one route stays in that route's file, and modules that only staff pages share keep
// Rollup's own grouping.
//
// Rollup moves every module a grouped module imports into its group unless that module has a
// group of its own. So a package other than the framework that buyers' modules import (zod,
// for the search's URL schema, which the browser tree-shakes away) gets a file of its own, and
// so does each buyers' module that imports such a package: they are not carried into the
// groups, and a page downloads them only when it uses them.

const FRAMEWORK_PACKAGES =
  /\/node_modules\/(react|react-dom|scheduler|@remix-run\/[^/]+|react-router|react-router-dom|turbo-stream)\//;

const ROUTE_SUFFIX = "?__remix-build-client-route";
const PRODUCT_ROUTE = "routes/s.$shop.p.$product.tsx";
const LIST_ROUTES = ["routes/_index.tsx", "routes/search.tsx", "routes/s.$shop._index.tsx"];
const BUYER_ROUTES = [PRODUCT_ROUTE, ...LIST_ROUTES];
const EVERY_PAGE = ["entry.client.tsx", "root.tsx"];

const isPackage = (id: string) => id.includes("/node_modules/");
const packageName = (id: string) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1] ?? "vendor";

/** entry.client and the route modules (as "routes/….tsx") from which static imports reach a module. */
function reachedFrom(id: string, meta: ManualChunkMeta, memo: Map<string, Set<string>>): Set<string> {
  const known = memo.get(id);
  if (known) return known;
  const entries = new Set<string>();
  memo.set(id, entries); // an import cycle adds nothing more
  const info = meta.getModuleInfo(id);
  if (!info) return entries;
  if (info.isEntry) entries.add(id.replace(ROUTE_SUFFIX, "").replace(/^.*\/app\//, ""));
  for (const importer of info.importers) for (const entry of reachedFrom(importer, meta, memo)) entries.add(entry);
  return entries;
}

/** The group of a module of the browser's bundle; undefined leaves it to Rollup. */
function chunkOf(id: string, meta: ManualChunkMeta, memo: Map<string, Set<string>>): string | undefined {
  if (FRAMEWORK_PACKAGES.test(id)) return "framework";
  const info = meta.getModuleInfo(id);
  if (!info || info.isEntry) return undefined; // entry.client and routes stay files of their own
  const entries = reachedFrom(id, meta, memo);
  const forBuyers = BUYER_ROUTES.some((route) => entries.has(route)) || EVERY_PAGE.some((e) => entries.has(e));
  if (isPackage(id)) return forBuyers ? packageName(id) : undefined;
  if (!id.includes("/app/") || id.includes("/app/routes/")) return undefined;
  if (info.importedIds.some((dep) => isPackage(dep) && !FRAMEWORK_PACKAGES.test(dep)))
    return forBuyers ? path.basename(id).replace(/\.[jt]sx?$/, "") : undefined;
  if (EVERY_PAGE.some((entry) => entries.has(entry))) return "framework";
  if (entries.size < 2) return undefined;
  if (entries.has(PRODUCT_ROUTE)) return "storefront";
  if (LIST_ROUTES.filter((route) => entries.has(route)).length >= 2) return "market";
  return undefined;
}

export function clientChunks(): Plugin {
  return {
    name: "client-chunks",
    config(_config, env) {
      if (env.isSsrBuild) return;
      const memo = new Map<string, Set<string>>(); // one client build per configuration
      return { build: { rollupOptions: { output: { manualChunks: (id, meta) => chunkOf(id, meta, memo) } } } };
    },
  };
}
