import type { ServerBuild } from "@remix-run/node";

// Every route of the server build, with its full URL pattern and whether it has a loader
// and an action: the fuzzer walks this list, so a new route is fuzzed without a test edit.

export interface FuzzRoute {
  id: string;
  /** The full pattern, e.g. "/admin/:shop/orders/:order" or "/media/*". */
  pattern: string;
  /** The dynamic segments in order: ":shop" → "shop", "*" → "*". */
  params: string[];
  hasLoader: boolean;
  hasAction: boolean;
}

export function routesOf(build: ServerBuild): FuzzRoute[] {
  const byId = build.routes;
  const fullPath = (id: string): string[] => {
    const route = byId[id];
    if (!route) return [];
    const own = (route.path ?? "").split("/").filter(Boolean);
    return [...(route.parentId ? fullPath(route.parentId) : []), ...own];
  };
  return Object.values(byId)
    .map((route) => {
      const segments = fullPath(route.id);
      const params = segments
        .filter((s) => s.startsWith(":") || s === "*")
        .map((s) => (s === "*" ? "*" : s.slice(1).replace(/\?$/, "")));
      return {
        id: route.id,
        pattern: `/${segments.join("/")}`,
        params,
        hasLoader: typeof route.module.loader === "function",
        hasAction: typeof route.module.action === "function",
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The pattern with its parameters filled in (values are URL-encoded here). */
export function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern
    .split("/")
    .map((segment) => {
      if (segment === "*") return values["*"] ?? "";
      if (segment.startsWith(":")) return encodeURIComponent(values[segment.slice(1).replace(/\?$/, "")] ?? "");
      return segment;
    })
    .join("/");
}
