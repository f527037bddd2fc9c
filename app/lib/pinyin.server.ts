import type { pinyin as Pinyin } from "pinyin-pro";
import { lazyRequire } from "~/lib/lazy-require.server";

// pinyin-pro's dictionary (~7 MB of a process's memory) loads with the first slug or search
// that needs it, not at start (docs/perf.md, "County reports").
const loadPinyin = lazyRequire<{ pinyin: typeof Pinyin }>("pinyin-pro");

export const pinyin = ((...args: Parameters<typeof Pinyin>) => loadPinyin().pinyin(...args)) as typeof Pinyin;
