import { unscopedDb } from "~/db/index.server";

// The platform's blocklist: a review containing one of its words is HELD for moderation
// instead of published (seeded by migration …_review_stats_triggers). Platform-wide, not a
// shop's. Matching ignores case and spaces.

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/** The first blocklisted word in the text, or null. */
export async function heldBy(text: string): Promise<string | null> {
  const words = await unscopedDb().reviewBlockedWord.findMany({ select: { word: true }, orderBy: { word: "asc" } });
  const folded = fold(text);
  return words.find((w) => fold(w.word) !== "" && folded.includes(fold(w.word)))?.word ?? null;
}

export async function listBlockedWords(): Promise<string[]> {
  return (await unscopedDb().reviewBlockedWord.findMany({ select: { word: true }, orderBy: { word: "asc" } })).map(
    (w) => w.word,
  );
}

export async function addBlockedWord(word: string): Promise<void> {
  const w = word.trim();
  if (!w) return;
  await unscopedDb().reviewBlockedWord.upsert({ where: { word: w }, create: { word: w }, update: {} });
}

export async function removeBlockedWord(word: string): Promise<void> {
  await unscopedDb().reviewBlockedWord.deleteMany({ where: { word } });
}
