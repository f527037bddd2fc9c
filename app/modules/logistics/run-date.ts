// Pickup runs are named by their day in Asia/Shanghai (the county's day, not the server's).

const DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The Asia/Shanghai calendar day of `at`, as a UTC midnight Date (what a `@db.Date` column holds). */
export function shanghaiDate(at: Date): Date {
  return new Date(`${DAY.format(at)}T00:00:00Z`);
}

/** "YYYY-MM-DD" of a run date. */
export function runDateText(runDate: Date): string {
  return runDate.toISOString().slice(0, 10);
}
