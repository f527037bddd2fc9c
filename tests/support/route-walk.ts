import fs from "node:fs";
import path from "node:path";

// The route files the isolation walkers visit (app/routes, Remix flat routes), their params and
// the URL each one answers, shared by the in-process walks (admin-isolation, county-isolation)
// and the walk over HTTP through two nodes (two-nodes).

export type RouteModule = { loader?: (a: never) => Promise<unknown>; action?: (a: never) => Promise<unknown> };

export const ROUTES_DIR = path.resolve("app/routes");

const routeFiles = (pattern: RegExp) =>
  fs
    .readdirSync(ROUTES_DIR)
    .filter((f) => pattern.test(f))
    .sort();

/** Every shop-admin route module (admin.$shop*.tsx). */
export const adminRouteFiles = routeFiles(/^admin\.\$shop[.\w$[\]-]*\.tsx?$/);
/** Every platform route module (platform*.tsx). */
export const platformRouteFiles = routeFiles(/^platform[.\w$-]*\.tsx?$/);
/** Every county coordinator route module (county.$code*.tsx). */
export const countyRouteFiles = routeFiles(/^county\.\$code[.\w$[\]-]*\.tsx?$/);

/** "admin.$shop.products.$product.photos.tsx" → ["shop", "product"] */
export function paramNames(file: string) {
  return [...file.matchAll(/\$(\w+)/g)].map((m) => m[1]!);
}

/** The route module of `file`, as the walkers import it. */
export async function importRoute(file: string): Promise<RouteModule> {
  return (await import(/* @vite-ignore */ path.join(ROUTES_DIR, file))) as RouteModule;
}

/**
 * Flat-route file name → URL on http://localhost: "." separates segments, "[.]" and "[.csv]"
 * are literal dots; a param takes its value from `values` ("x" when none).
 */
export function urlFor(file: string, values: Record<string, string>, query = "") {
  const segments = file
    .replace(/\.tsx?$/, "")
    .replace(/\[\.\]|\[(\.[^\]]*)\]/g, (_m, inner: string | undefined) => (inner ?? ".").replaceAll(".", "~DOT~"))
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => s.replaceAll("~DOT~", "."));
  const joined = segments.map((s) => (s.startsWith("$") ? (values[s.slice(1)] ?? "x") : s)).join("/");
  return `http://localhost/${joined}${query}`;
}
