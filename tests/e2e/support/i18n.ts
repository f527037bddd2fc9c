import fs from "node:fs";
import path from "node:path";

// The app's own translations, so that a journey finds its labels, buttons and messages in
// either language the way a user reads them (and proves those texts exist on the page).

export type Lng = "zh-CN" | "en";
export type T = (key: string, values?: Record<string, string | number>) => string;

type Tree = { [key: string]: string | Tree };

function load(lng: Lng): Tree {
  const dir = path.resolve("app/locales", lng);
  const merged: Tree = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    Object.assign(merged, JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Tree);
  }
  return merged;
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

/** i18next's lookup in small: plural suffixes (_one/_other) by `count`, and {{value}} interpolation. */
export function translator(lng: Lng): T {
  const tree = load(lng);
  return (key, values = {}) => {
    const count = values.count;
    const plural = typeof count === "number" ? [`${key}_${lng === "en" && count === 1 ? "one" : "other"}`] : [];
    const found = [...plural, key].map((k) => lookup(tree, k)).find((text) => text !== undefined);
    if (found === undefined) throw new Error(`no ${lng} translation for "${key}"`);
    return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
  };
}
