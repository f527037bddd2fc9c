// What the catalog's admin writes answer: done, a translated error for one form field
// (the route shows it next to that field and answers 400), or "no such row in this shop"
// (the route answers 404, the same as for another shop's row).

export type Outcome<T extends object = object> =
  ({ ok: true } & T) | { ok: false; field: string; error: string } | { ok: false; notFound: true };

export const notFound = { ok: false, notFound: true } as const;

export function fieldError(field: string, error: string) {
  return { ok: false, field, error } as const;
}

/** A write that collided with a unique index (P2002), whichever driver adapter reported it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}
