import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/index.server";
import { weeklySlotStarts } from "~/modules/catalog/slots.server";
import {
  admin,
  createProductAs,
  dataOf,
  experienceFields,
  shopWithTeam,
  specialtyFields,
  type ShopWithTeam,
} from "./catalog-fixtures";

let a: ShopWithTeam;
let tour: string;

beforeAll(async () => {
  a = await shopWithTeam();
  tour = await createProductAs(a.owner.session, a.shop.slug, experienceFields({ durationMinutes: "150" }));
});

const slotsOf = (productId: string) =>
  db().experienceSlot.findMany({ where: { shopId: a.shop.id, productId }, orderBy: { startsAt: "asc" } });
/** The Shanghai wall-clock of a stored time, e.g. "2030-03-02 Sat 09:00". */
function shanghai(date: Date) {
  const local = new Date(date.getTime() + 8 * 3_600_000);
  return `${local.toISOString().slice(0, 10)} ${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][local.getUTCDay()]} ${local.toISOString().slice(11, 16)}`;
}

describe("weekly schedules", () => {
  it("lists every chosen weekday at each time, in Shanghai time", () => {
    // 2030-03-01 is a Friday.
    const starts = weeklySlotStarts({ weekdays: [6, 0], times: ["09:00", "14:00"], fromDate: "2030-03-01", weeks: 2 });
    expect(starts.map(shanghai)).toEqual([
      "2030-03-02 Sat 09:00",
      "2030-03-02 Sat 14:00",
      "2030-03-03 Sun 09:00",
      "2030-03-03 Sun 14:00",
      "2030-03-09 Sat 09:00",
      "2030-03-09 Sat 14:00",
      "2030-03-10 Sun 09:00",
      "2030-03-10 Sun 14:00",
    ]);
    expect(starts[0]!.toISOString()).toBe("2030-03-02T01:00:00.000Z");
  });
});

describe("slots of an experience", () => {
  it("creates one slot from a Shanghai date and time, ending after the experience's duration", async () => {
    const result = await admin.post(a.owner.session, a.shop.slug, tour, "slot-create", {
      date: "2030-03-02",
      time: "09:00",
      capacity: "20",
    });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/admin/${a.shop.slug}/products/${tour}?saved=slot#slots`);
    const [slot] = await slotsOf(tour);
    expect(slot!.startsAt.toISOString()).toBe("2030-03-02T01:00:00.000Z");
    expect(slot!.endsAt.toISOString()).toBe("2030-03-02T03:30:00.000Z");
    expect(slot).toMatchObject({ capacity: 20, booked: 0 });
  });

  it("refuses a slot at a taken time, in the past, or with bad input", async () => {
    for (const [fields, field, key] of [
      [{ date: "2030-03-02", time: "9:00", capacity: "10" }, "time", "catalog.errors.slotExists"],
      [{ date: "2020-01-04", time: "09:00", capacity: "10" }, "date", "catalog.errors.slotInPast"],
      [{ date: "2030-02-30", time: "09:00", capacity: "10" }, "date", "catalog.errors.dateInvalid"],
      [{ date: "2030-03-02", time: "25:00", capacity: "10" }, "time", "catalog.errors.timeInvalid"],
      [{ date: "2030-03-02", time: "10:00", capacity: "0" }, "capacity", "catalog.errors.capacityRange"],
    ] as const) {
      const result = await admin.post(a.owner.session, a.shop.slug, tour, "slot-create", fields);
      expect(result.status, JSON.stringify(fields)).toBe(400);
      expect(dataOf<{ result: { error: Record<string, string[]> } }>(result).result.error[field]).toEqual([key]);
    }
    expect(await slotsOf(tour)).toHaveLength(1);
  });

  it("creates a season of slots in bulk, skipping those that exist, and says how many of each", async () => {
    // One more existing slot in the range: Sunday 2030-03-10 09:00.
    await admin.post(a.owner.session, a.shop.slug, tour, "slot-create", {
      date: "2030-03-10",
      time: "09:00",
      capacity: "20",
    });
    const bulk = { weekdays: ["6", "0"], times: "09:00", fromDate: "2030-03-01", weeks: "9", capacity: "30" };
    const result = await admin.post(a.staff.session, a.shop.slug, tour, "slot-bulk", bulk);
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/admin/${a.shop.slug}/products/${tour}?saved=slots&created=16&existed=2#slots`);

    const slots = await slotsOf(tour);
    expect(slots).toHaveLength(18);
    expect(new Set(slots.map((s) => shanghai(s.startsAt).slice(11)))).toEqual(new Set(["Sat 09:00", "Sun 09:00"]));
    // The existing slots kept their capacity; the new ones have the schedule's.
    expect(slots.filter((s) => s.capacity === 20)).toHaveLength(2);
    expect(slots.filter((s) => s.capacity === 30)).toHaveLength(16);

    const page = await admin.page(a.owner.session, a.shop.slug, tour, "?saved=slots&created=16&existed=2");
    expect(dataOf<{ saved: unknown }>(page).saved).toEqual({ key: "slots", created: 16, existed: 2 });

    // Running it again creates nothing.
    const again = await admin.post(a.staff.session, a.shop.slug, tour, "slot-bulk", bulk);
    expect(again.location).toContain("created=0&existed=18");
    expect(await slotsOf(tour)).toHaveLength(18);
  });

  it("takes several times a day, written loosely", async () => {
    const other = await createProductAs(a.owner.session, a.shop.slug, experienceFields({ titleZh: "茶园研学" }));
    const result = await admin.post(a.owner.session, a.shop.slug, other, "slot-bulk", {
      weekdays: "3",
      times: "14:00，9:30、14:00",
      fromDate: "2030-05-01",
      weeks: "2",
      capacity: "8",
    });
    expect(result.location).toContain("created=4&existed=0");
    expect((await slotsOf(other)).map((s) => shanghai(s.startsAt))).toEqual([
      "2030-05-01 Wed 09:30",
      "2030-05-01 Wed 14:00",
      "2030-05-08 Wed 09:30",
      "2030-05-08 Wed 14:00",
    ]);
  });

  it("refuses a bulk schedule with bad input, creating nothing", async () => {
    const before = (await slotsOf(tour)).length;
    const good = { weekdays: ["6"], times: "09:00", fromDate: "2030-06-01", weeks: "4", capacity: "10" };
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ weekdays: [] }, "weekdays", "catalog.errors.weekdaysRequired"],
      [{ times: "09:00, 25:00" }, "times", 'catalog.errors.timesInvalid|{"value":"25:00"}'],
      [{ times: " " }, "times", "catalog.errors.timesRequired"],
      [{ weeks: "27" }, "weeks", "catalog.errors.weeksRange"],
      [{ weeks: "0" }, "weeks", "catalog.errors.weeksRange"],
      [{ fromDate: "2020-01-01" }, "fromDate", "catalog.errors.dateInPast"],
    ];
    for (const [fields, field, key] of cases) {
      const result = await admin.post(a.owner.session, a.shop.slug, tour, "slot-bulk", { ...good, ...fields });
      expect(result.status, JSON.stringify(fields)).toBe(400);
      expect(dataOf<{ result: { error: Record<string, string[]> } }>(result).result.error[field]).toEqual([key]);
    }
    expect(await slotsOf(tour)).toHaveLength(before);
  });

  it("lists upcoming slots with the places left", async () => {
    const [first] = await slotsOf(tour);
    await db().experienceSlot.update({
      where: { shopId_id: { shopId: a.shop.id, id: first!.id } },
      data: { booked: 5 },
    });
    const page = dataOf<{
      slots: { total: number; slots: { id: string; placesLeft: number; capacity: number; booked: number }[] };
    }>(await admin.page(a.coordinator.session, a.shop.slug, tour));
    expect(page.slots.total).toBe(18);
    expect(page.slots.slots[0]).toMatchObject({ id: first!.id, capacity: 20, booked: 5, placesLeft: 15 });
  });

  it("never lowers capacity below the places booked", async () => {
    const [first] = await slotsOf(tour); // booked 5
    const below = await admin.post(a.owner.session, a.shop.slug, tour, "slot-capacity", {
      slotId: first!.id,
      capacity: "4",
    });
    expect(below.status).toBe(400);
    expect(JSON.stringify(below.data)).toContain('catalog.errors.capacityBelowBooked|{\\"booked\\":5}');
    const exact = await admin.post(a.owner.session, a.shop.slug, tour, "slot-capacity", {
      slotId: first!.id,
      capacity: "5",
    });
    expect(exact.status).toBe(302);
    expect((await db().experienceSlot.findFirstOrThrow({ where: { id: first!.id, shopId: a.shop.id } })).capacity).toBe(
      5,
    );
  });

  it("deletes only a slot nobody has booked", async () => {
    const [booked, free] = await slotsOf(tour);
    const refused = await admin.post(a.owner.session, a.shop.slug, tour, "slot-delete", { slotId: booked!.id });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain("catalog.errors.slotHasBookings");
    const deleted = await admin.post(a.owner.session, a.shop.slug, tour, "slot-delete", { slotId: free!.id });
    expect(deleted.status).toBe(302);
    const left = await slotsOf(tour);
    expect(left.map((s) => s.id)).toContain(booked!.id);
    expect(left.map((s) => s.id)).not.toContain(free!.id);
  });

  it("has no slots for other kinds of product", async () => {
    const tea = await createProductAs(a.owner.session, a.shop.slug, specialtyFields());
    const result = await admin.post(a.owner.session, a.shop.slug, tea, "slot-create", {
      date: "2030-03-02",
      time: "09:00",
      capacity: "20",
    });
    expect(result.status).toBe(404);
    expect(await db().experienceSlot.count({ where: { shopId: a.shop.id, productId: tea } })).toBe(0);
  });
});
