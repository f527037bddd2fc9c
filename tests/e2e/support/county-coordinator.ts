// The county coordinator that tests/e2e/serve.ts appoints at start-up (as `npm run
// county:coordinator` would), for 高邮市 — the county of the demo cooperative of 高邮 duck eggs, which no other journey uses — and
// the windows of the reports journey. serve.ts fills the demo orders, then sets the background
// export threshold to the number of lines of LAST_MONTH: that month's files stream at once,
// and the whole year's (more lines) runs as a background export.
export const COUNTY_COORDINATOR = {
  phone: "13900000003",
  password: "e2e-county-coordinator-pw",
  county: "321084",
} as const;

const shanghaiDay = (date: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(date);

/** The calendar month before today's (Asia/Shanghai), as inclusive YYYY-MM-DD days. */
export function lastMonth(now = new Date()) {
  const [y, m] = shanghaiDay(now).split("-").map(Number) as [number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, "0");
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(days).padStart(2, "0")}` };
}

/** The last 366 days to today (the longest range a report takes). */
export function lastYear(now = new Date()) {
  return { from: shanghaiDay(new Date(now.getTime() - 365 * 86_400_000)), to: shanghaiDay(now) };
}
