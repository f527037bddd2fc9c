import { unscopedDb } from "~/db/index.server";

// The platform's blocklist: a review containing one of its words is HELD for moderation
// instead of published (seeded by migration …_review_stats_triggers). Platform-wide, not a
// shop's. Matching ignores case and spaces.

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/** The first blocklisted word in the text, or null. */
export async function heldBy(text: string): Promise<string | null> {
  return (await blocklistMatcher())(text);
}

/** The list read once, for many texts: text → the first blocklisted word in it, or null. */
export async function blocklistMatcher(): Promise<(text: string) => string | null> {
  const words = (await listBlockedWords()).map((word) => ({ word, folded: fold(word) })).filter((w) => w.folded);
  return (text) => {
    const folded = fold(text);
    return words.find((w) => folded.includes(w.folded))?.word ?? null;
  };
}

export async function listBlockedWords(): Promise<string[]> {
  return (await unscopedDb().reviewBlockedWord.findMany({ select: { word: true }, orderBy: { word: "asc" } })).map(
    (w) => w.word,
  );
}

/**
 * Adds a word (trimmed; the caller validated it). A word that matches like one already listed
 * (the same once case and spaces are ignored) is a duplicate and adds nothing.
 */
export async function addBlockedWord(word: string): Promise<"added" | "duplicate" | "empty"> {
  const w = word.trim();
  if (fold(w) === "") return "empty";
  const words = await listBlockedWords();
  if (words.some((x) => fold(x) === fold(w))) return "duplicate";
  const created = await unscopedDb().reviewBlockedWord.createMany({ data: [{ word: w }], skipDuplicates: true });
  return created.count === 1 ? "added" : "duplicate";
}

/** Removes a word; false when it was not listed (already removed). */
export async function removeBlockedWord(word: string): Promise<boolean> {
  return (await unscopedDb().reviewBlockedWord.deleteMany({ where: { word } })).count > 0;
}
