import { z } from "zod";

// The platform admin's "add synonyms" form on /platform/search, checked alike in the browser and
// on the server. Words are letters, digits or Chinese characters (they become search lexemes).

export const SYNONYM_WORD = /^[\p{Script=Han}\p{L}\p{N}]{1,20}$/u;
const MAX_WORDS = 12;

/** The words of the form's text, folded as search folds them (width, case), without repeats. */
export const splitWords = (text: string) => [
  ...new Set(
    text
      .split(/[\s,，、=;；]+/u)
      .filter(Boolean)
      .map((w) => w.normalize("NFKC").toLowerCase()),
  ),
];

export const synonymSchema = z.object({
  intent: z.literal("add"),
  words: z
    .string({ required_error: "search.errors.wordsRequired" })
    .trim()
    .min(1, "search.errors.wordsRequired")
    .max(400, "search.errors.tooManyWords")
    .refine((text) => splitWords(text).length >= 2, "search.errors.twoWords")
    .refine((text) => splitWords(text).length <= MAX_WORDS, "search.errors.tooManyWords")
    .refine((text) => splitWords(text).every((w) => SYNONYM_WORD.test(w)), "search.errors.wordFormat"),
  oneWay: z.boolean().default(false),
});

export const deleteSynonymSchema = z.object({
  intent: z.literal("delete"),
  id: z.string().min(1).max(64),
});

export type SynonymInput = z.output<typeof synonymSchema>;
