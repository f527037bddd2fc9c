// The one place of Remix configuration: vite.config.ts passes it to the Remix plugin.
/** @type {import("@remix-run/dev").VitePluginConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  future: {
    // Every v3 flag that keeps the move to React Router mechanical
    // (docs/decisions/001-stack-and-layout.md).
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
  // A shop's own host (yangshan-peach.localhost, or its custom domain) serves the
  // product page at /p/:product: the same module as /s/:shop/p/:product.
  routes(defineRoutes) {
    return defineRoutes((route) => {
      route("p/:product", "routes/s.$shop.p.$product.tsx", { id: "routes/host.p.$product" });
      route("p/:product/reviews", "routes/s.$shop.p.$product_.reviews.tsx", { id: "routes/host.p.$product.reviews" });
    });
  },
};
