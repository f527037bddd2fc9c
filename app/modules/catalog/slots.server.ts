import { db } from "~/db/index.server";
import { isoDateToDate, shanghaiLocalToUtc, shanghaiToday } from "~/lib/time";
import { fieldError, isUniqueViolation, notFound, type Outcome } from "./outcome";

// An experience's bookable times. Entered as Asia/Shanghai wall-clock, stored in UTC;
// a slot ends `durationMinutes` after it starts. `booked` belongs to orders: capacity
// never goes below it, and a slot with bookings is never deleted.

const DAY_MS = 86_400_000;

/** Start times of a weekly schedule: every chosen weekday (0 = Sunday) at each time, for `weeks` weeks from `fromDate`. */
export function weeklySlotStarts({
  weekdays,
  times,
  fromDate,
  weeks,
}: {
  weekdays: number[];
  times: string[];
  fromDate: string;
  weeks: number;
}): Date[] {
  const first = isoDateToDate(fromDate);
  const starts: Date[] = [];
  for (let day = 0; day < weeks * 7; day++) {
    const date = new Date(first.getTime() + day * DAY_MS);
    if (!weekdays.includes(date.getUTCDay())) continue;
    const iso = date.toISOString().slice(0, 10);
    for (const time of times) starts.push(shanghaiLocalToUtc(`${iso}T${time}`));
  }
  return starts;
}

/** The experience (of this shop) that slots are added to, with the length of one visit. */
async function experienceOf(shopId: string, productId: string) {
  return db().product.findFirst({
    where: { id: productId, shopId, kind: "EXPERIENCE" },
    select: { durationMinutes: true },
  });
}

const endOf = (startsAt: Date, minutes: number) => new Date(startsAt.getTime() + minutes * 60_000);

export async function createSlot({
  shopId,
  productId,
  date,
  time,
  capacity,
  now = new Date(),
}: {
  shopId: string;
  productId: string;
  date: string;
  time: string;
  capacity: number;
  now?: Date;
}): Promise<Outcome> {
  const product = await experienceOf(shopId, productId);
  if (!product) return notFound;
  if (!product.durationMinutes) return fieldError("date", "catalog.errors.durationFirst");
  const startsAt = shanghaiLocalToUtc(`${date}T${time}`);
  if (startsAt <= now) return fieldError("date", "catalog.errors.slotInPast");
  try {
    await db().experienceSlot.create({
      data: { shopId, productId, startsAt, endsAt: endOf(startsAt, product.durationMinutes), capacity },
    });
    return { ok: true };
  } catch (error) {
    if (isUniqueViolation(error)) return fieldError("time", "catalog.errors.slotExists");
    throw error;
  }
}

/**
 * Creates the slots of a weekly schedule in one statement; times that already have a slot
 * are skipped (so running it twice creates nothing new), as are times already past.
 */
export async function createSlotsInBulk({
  shopId,
  productId,
  weekdays,
  times,
  fromDate,
  weeks,
  capacity,
  now = new Date(),
}: {
  shopId: string;
  productId: string;
  weekdays: number[];
  times: string[];
  fromDate: string;
  weeks: number;
  capacity: number;
  now?: Date;
}): Promise<Outcome<{ created: number; existed: number }>> {
  const product = await experienceOf(shopId, productId);
  if (!product) return notFound;
  const minutes = product.durationMinutes;
  if (!minutes) return fieldError("fromDate", "catalog.errors.durationFirst");
  if (fromDate < shanghaiToday(now)) return fieldError("fromDate", "catalog.errors.dateInPast");
  const starts = weeklySlotStarts({ weekdays, times, fromDate, weeks }).filter((start) => start > now);
  if (starts.length === 0) return fieldError("times", "catalog.errors.noSlotsInRange");
  const { count } = await db().experienceSlot.createMany({
    data: starts.map((startsAt) => ({ shopId, productId, startsAt, endsAt: endOf(startsAt, minutes), capacity })),
    skipDuplicates: true,
  });
  return { ok: true, created: count, existed: starts.length - count };
}

/** Changes a slot's capacity, never below the places already booked. */
export async function updateSlotCapacity({
  shopId,
  productId,
  slotId,
  capacity,
}: {
  shopId: string;
  productId: string;
  slotId: string;
  capacity: number;
}): Promise<Outcome> {
  const belowBooked = async () => {
    const slot = await db().experienceSlot.findFirst({
      where: { id: slotId, shopId, productId },
      select: { booked: true },
    });
    return slot
      ? fieldError("capacity", `catalog.errors.capacityBelowBooked|${JSON.stringify({ booked: slot.booked })}`)
      : notFound;
  };
  try {
    const { count } = await db().experienceSlot.updateMany({
      where: { id: slotId, shopId, productId, booked: { lte: capacity } },
      data: { capacity },
    });
    return count ? { ok: true } : await belowBooked();
  } catch (error) {
    // A booking that landed in between trips the CHECK (booked <= capacity).
    if ((error as { code?: string }).code === "P2004" || /check/i.test(String((error as Error).message)))
      return belowBooked();
    throw error;
  }
}

/** Deletes a slot nobody has booked. */
export async function deleteSlot({
  shopId,
  productId,
  slotId,
}: {
  shopId: string;
  productId: string;
  slotId: string;
}): Promise<Outcome> {
  const { count } = await db().experienceSlot.deleteMany({ where: { id: slotId, shopId, productId, booked: 0 } });
  if (count) return { ok: true };
  const slot = await db().experienceSlot.findFirst({ where: { id: slotId, shopId, productId }, select: { id: true } });
  return slot ? fieldError("slotId", "catalog.errors.slotHasBookings") : notFound;
}

/** The next slots of an experience, soonest first, and how many upcoming slots there are in all. */
export async function listUpcomingSlots({
  shopId,
  productId,
  now = new Date(),
  take = 60,
}: {
  shopId: string;
  productId: string;
  now?: Date;
  take?: number;
}) {
  const where = { shopId, productId, startsAt: { gt: now } };
  const [slots, total] = await Promise.all([
    db().experienceSlot.findMany({
      where,
      orderBy: { startsAt: "asc" },
      take,
      select: { id: true, startsAt: true, endsAt: true, capacity: true, booked: true },
    }),
    db().experienceSlot.count({ where }),
  ]);
  return {
    total,
    slots: slots.map((slot) => ({
      id: slot.id,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      capacity: slot.capacity,
      booked: slot.booked,
      placesLeft: Math.max(0, slot.capacity - slot.booked),
    })),
  };
}
