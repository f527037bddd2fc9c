import v8 from "node:v8";
import { runInNewContext } from "node:vm";

// A bound on the old generation's garbage during a long write (docs/decisions/037-xlsx-rss.md).
// The XLSX writer promotes garbage steadily: V8 keeps the string of each number it turns into
// text (a cell's value, a date's serial number) in a cache that survives young collections, so
// some of every collection's strings reach the old generation, where they wait for a full
// collection. V8 lets the old generation grow to a multiple of what was live before starting
// one: for a million rows, ~150 MB of the process's memory was such garbage. This collects it
// once the heap has grown by a given amount, which bounds the growth by that amount.

let collector: (() => void) | null | undefined;

/** V8's full collection: `gc` when node runs with --expose-gc, else the same function made on demand. */
function fullCollector(): (() => void) | null {
  if (collector !== undefined) return collector;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return (collector = exposed);
  try {
    // The flag only decides whether new contexts get `gc`: one is made to fetch it, then the
    // flag is put back, so no other code sees a global `gc`.
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    collector = typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    collector = null;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
  return collector;
}

const usedHeap = () => v8.getHeapStatistics().used_heap_size;

/**
 * A check to call now and then (every few thousand rows) during a long write: it runs a full
 * collection when the heap has grown by more than `growthMb` since the writer started or since
 * the last collection it ran. Returns whether it collected.
 */
export function heapGrowthBound(growthMb: number): () => boolean {
  const limit = growthMb * 1024 * 1024;
  let base = usedHeap();
  return () => {
    if (usedHeap() - base <= limit) return false;
    const gc = fullCollector();
    if (!gc) return false;
    gc();
    base = usedHeap();
    return true;
  };
}
