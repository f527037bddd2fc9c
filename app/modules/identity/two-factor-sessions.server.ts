import { db } from "~/db/index.server";

/** Signs the user out everywhere but this session (after two-step verification is turned on). */
export async function endOtherSessions(userId: string, keepSessionId: string | null): Promise<number> {
  const ended = await db().session.deleteMany({
    where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
  });
  return ended.count;
}
