import { db } from "~/db/index.server";
import { splitWords, type SynonymInput } from "./synonym-schema";

// Synonym groups are the platform's (not a shop's): the platform admin keeps them on
// /platform/search; search applies them at query time (query.server.ts), so a change counts at once.

export async function listSynonyms() {
  return db().searchSynonym.findMany({ orderBy: [{ term: "asc" }, { createdAt: "asc" }] });
}

/** Adds a group: the first word is the term; one way means the term also finds the others. */
export async function addSynonym(input: SynonymInput) {
  const [term, ...words] = splitWords(input.words);
  return db().searchSynonym.create({ data: { term: term!, words, oneWay: input.oneWay }, select: { id: true } });
}

/** Deletes a group; false when it was already gone. */
export async function deleteSynonym(id: string) {
  const { count } = await db().searchSynonym.deleteMany({ where: { id } });
  return count > 0;
}
