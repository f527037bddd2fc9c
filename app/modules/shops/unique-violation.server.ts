// Which unique field a failed write collided with (a P2002 error), among `fields`; null if
// the error is something else. Driver adapters report the index ("Shop_slug_key"),
// Prisma's own engine the field list (meta.target); both are understood.
export function uniqueViolation<F extends string>(error: unknown, fields: readonly F[]): F | null {
  const { code, meta } = (error ?? {}) as { code?: string; meta?: unknown };
  if (code !== "P2002") return null;
  const described = JSON.stringify(meta ?? {});
  const target = (meta as { target?: unknown } | undefined)?.target;
  return (
    fields.find(
      (field) =>
        described.includes(`_${field}_key`) || (Array.isArray(target) ? target.includes(field) : target === field),
    ) ?? null
  );
}

/** True when a write failed on a foreign key (e.g. a county that does not exist). */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2003";
}
