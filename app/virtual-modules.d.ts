// Modules made by Vite plugins (scripts/lib/vite-i18n.ts).
declare module "virtual:i18n-messages" {
  /** The URL of each language's message bundles, content-hashed under /assets. */
  export const messageUrls: Record<"zh-CN" | "en", { buyer: string; staff: string }>;
}
