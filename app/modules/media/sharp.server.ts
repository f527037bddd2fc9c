import type Sharp from "sharp";
import { lazyRequire } from "~/lib/lazy-require.server";

// sharp and libvips (~16 MB of a process's memory) load with the first picture, not at start:
// a node that only serves pages and reports never carries them (docs/perf.md, "County reports").
const loadSharp = lazyRequire<typeof Sharp>("sharp");

export const sharp = ((...args: Parameters<typeof Sharp>) => loadSharp()(...args)) as typeof Sharp;
