// Runs benchLogisticsPush in a process of its own, on the DATABASE_URL it is given (the logistics
// bench's fresh database), and prints its result as one JSON line.
import { benchLogisticsPush } from "./bench-logistics-push";
import { closeDatabase } from "~/db/index.server";

const result = await benchLogisticsPush({ count: Number(process.env.BENCH_PUSH_COUNT) || 2000 });
await closeDatabase();
console.log(JSON.stringify(result));
