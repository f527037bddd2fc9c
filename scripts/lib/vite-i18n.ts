import { createHash } from "node:crypto";
import path from "node:path";
import type { Plugin } from "vite";
import enBuyer from "../../app/locales/en/buyer";
import enStaff from "../../app/locales/en/staff";
import zhBuyer from "../../app/locales/zh-CN/buyer";
import zhStaff from "../../app/locales/zh-CN/staff";

// How the browser gets its texts (docs/decisions/014-client-javascript.md).
//
// 1. `react-i18next` is ~/lib/i18n-lite in the browser: the same messages and rules for what
//    the app uses, without i18next's 15 KB. The server keeps the real one.
// 2. The messages are data, not code: one JSON file per language and bundle (buyer, staff),
//    named by a hash of its content, served from /assets like the scripts (immutable) and
//    preloaded by the page's <head> (root.tsx), so they arrive beside the scripts instead of
//    after them. `virtual:i18n-messages` tells both sides the files' URLs.

const BUNDLES = {
  "zh-CN": { buyer: zhBuyer, staff: zhStaff },
  en: { buyer: enBuyer, staff: enStaff },
} as const;

const VIRTUAL = "virtual:i18n-messages";
const RESOLVED = `\0${VIRTUAL}`;

type Files = Map<string, string>; // URL path → JSON

function messageFiles(): { urls: Record<string, Record<string, string>>; files: Files } {
  const urls: Record<string, Record<string, string>> = {};
  const files: Files = new Map();
  for (const [lng, bundles] of Object.entries(BUNDLES)) {
    urls[lng] = {};
    for (const [name, messages] of Object.entries(bundles)) {
      const json = JSON.stringify(messages);
      const hash = createHash("sha256").update(json).digest("base64url").slice(0, 10);
      const url = `/assets/messages-${lng}-${name}-${hash}.json`;
      urls[lng]![name] = url;
      files.set(url, json);
    }
  }
  return { urls, files };
}

export function browserI18n(): Plugin[] {
  return [browserI18nLite(), i18nMessages()];
}

/** `react-i18next` is ~/lib/i18n-lite in the browser's bundle (never on the server). */
export function browserI18nLite(): Plugin {
  const lite = path.resolve("app/lib/i18n-lite.tsx");
  return {
    name: "browser-i18n-lite",
    enforce: "pre",
    resolveId(source, _importer, options) {
      return source === "react-i18next" && !options?.ssr ? lite : null;
    },
  };
}

/** The message files and `virtual:i18n-messages` (vitest.config.ts uses it too). */
export function i18nMessages(): Plugin {
  const { urls, files } = messageFiles();
  let ssrBuild = false;
  return {
    name: "i18n-messages",
    configResolved(config) {
      ssrBuild = Boolean(config.build.ssr);
    },
    resolveId(source) {
      return source === VIRTUAL ? RESOLVED : null;
    },
    load(id) {
      return id === RESOLVED ? `export const messageUrls = ${JSON.stringify(urls)};` : null;
    },
    // `vite build` of the browser's bundle writes the files beside the scripts.
    generateBundle() {
      if (ssrBuild) return;
      for (const [url, json] of files) this.emitFile({ type: "asset", fileName: url.slice(1), source: json });
    },
    // The dev server answers them itself.
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const json = files.get((req.url ?? "").split("?")[0]!);
        if (!json) return next();
        res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.end(json);
      });
    },
  };
}
