import { createRequire } from "node:module";
import type { Jieba as JiebaType } from "@node-rs/jieba";

type JiebaModule = { Jieba: typeof JiebaType };
import { pinyin } from "~/lib/pinyin.server";
import { singleton } from "~/lib/singleton.server";

// Words for search (docs/decisions/022-search-words.md). Chinese has no spaces: jieba cuts text
// into words in the app, for the PostgreSQL server and the embedded database alike (PGlite runs
// in this process). Documents keep every dictionary word and every character jieba sees
// (full mode), so a query's words match wherever they occur; queries are cut precisely.

const require = createRequire(import.meta.url);

function jieba(): JiebaType {
  return singleton("search:jieba", () => {
    const { Jieba } = require("@node-rs/jieba") as JiebaModule;
    const { dict } = require("@node-rs/jieba/dict.js") as { dict: Uint8Array };
    return Jieba.withDict(dict);
  });
}

function traditionalToSimplified(): (text: string) => string {
  return singleton("search:opencc", () => {
    const OpenCC = require("opencc-js") as { Converter: (o: { from: string; to: string }) => (s: string) => string };
    return OpenCC.Converter({ from: "t", to: "cn" });
  });
}

const HAN = /\p{Script=Han}/u;
const WORD = /^[\p{Script=Han}\p{L}\p{N}]+$/u;
/** Characters a lexeme may hold; the rest split words (tsquery syntax never reaches the database). */
const SEPARATORS = /[^\p{Script=Han}\p{L}\p{N}]+/u;

export const hasHan = (text: string) => HAN.test(text);

/** An English word's singular, for both documents and queries ("teapots" → "teapot"). */
export function singular(word: string): string {
  if (!/^[a-z]+$/.test(word) || word.length <= 3) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) return word.slice(0, -1);
  return word;
}

/** Width, case and traditional characters folded, as for documents and queries alike. */
export function normalizeText(text: string): string {
  const folded = text.normalize("NFKC").toLowerCase();
  return hasHan(folded) ? traditionalToSimplified()(folded) : folded;
}

function clean(words: string[]): string[] {
  return words.flatMap((w) => w.split(SEPARATORS)).filter((w) => w && WORD.test(w));
}

/** Each pair of neighbouring Chinese characters ("相城区" → 相城, 城区): names jieba does not know. */
function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(/\p{Script=Han}{2,}/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

/**
 * Every word of a text for its document: jieba's full mode (all dictionary words and every
 * character), its search mode (words it guesses, such as 白茶), character pairs, and singulars.
 */
export function documentWords(text: string | null | undefined): string[] {
  if (!text) return [];
  const normalized = normalizeText(text);
  const words = clean([
    ...jieba().cutAll(normalized),
    ...jieba().cutForSearch(normalized, true),
    ...bigrams(normalized),
  ]);
  return [...new Set(words.flatMap((w) => (singular(w) === w ? [w] : [w, singular(w)])))];
}

/** The distinct Chinese characters of a text. */
export const hanCharacters = (text: string) => [...new Set(text.match(/\p{Script=Han}/gu) ?? [])];

/** A query's words, cut precisely ("碧螺春茶" → 碧螺春, 茶), at most `max`. */
export function queryWords(text: string, max: number): string[] {
  const normalized = normalizeText(text);
  const words = clean(jieba().cut(normalized, true)).map(singular);
  return [...new Set(words)].slice(0, max);
}

/**
 * A Chinese query word of three or more characters that no document holds whole (紫砂壶) may
 * still match as its parts (紫砂 + 壶): the longest shorter dictionary word from each position.
 */
export function wordParts(word: string): string[] {
  if (!hasHan(word) || [...word].length < 3) return [];
  const all = new Set(jieba().cutAll(word));
  const chars = [...word];
  const parts: string[] = [];
  for (let i = 0; i < chars.length;) {
    let taken = 1;
    for (let len = chars.length - i; len > 1; len--) {
      const candidate = chars.slice(i, i + len).join("");
      if (len < chars.length && all.has(candidate)) {
        taken = len;
        break;
      }
    }
    parts.push(chars.slice(i, i + taken).join(""));
    i += taken;
  }
  return parts.length > 1 ? parts : [];
}

/** Full pinyin and initials of a Chinese word ("阳山" → yangshan, ys); nothing for other words. */
export function pinyinOf(word: string): string[] {
  if (!hasHan(word)) return [];
  const syllables = pinyin(word, { toneType: "none", type: "array", nonZh: "removed", v: true });
  if (!syllables.length) return [];
  return [syllables.join(""), syllables.map((s) => s[0]).join("")];
}

/**
 * Pinyin lexemes of a text: each precise word's full pinyin and initials, and those of each pair
 * of neighbouring words and of the whole Chinese run ("阳山水蜜桃" → yangshanshuimitao, yssmt).
 */
export function pinyinWords(text: string | null | undefined): string[] {
  if (!text) return [];
  const out = new Set<string>();
  for (const run of normalizeText(text)
    .split(/[^\p{Script=Han}]+/u)
    .filter(Boolean)) {
    const words = clean(jieba().cut(run, true));
    words.forEach((word, i) => {
      for (const p of pinyinOf(word)) out.add(p);
      if (i + 1 < words.length) for (const p of pinyinOf(word + words[i + 1])) out.add(p);
    });
    if (words.length > 2) for (const p of pinyinOf(run)) out.add(p);
  }
  return [...out];
}

/** A lexeme quoted for a tsquery: words are letters, digits and Han only (see `clean`). */
export const quoteLexeme = (word: string) => `'${word.replace(/'/g, "''")}'`;
