import { AVIF_JOB, runAvifJob } from "~/modules/media/avif.server";
import { REPORT_EXPORT_JOB, runReportExportJob } from "~/modules/reports/report-export-job.server";

/** Runs one job; throwing means "try again later". The payload is whatever was enqueued. */
export type JobHandler = (payload: unknown) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** Every kind of background job and what runs it. */
export const JOB_HANDLERS: JobHandlers = {
  [AVIF_JOB]: runAvifJob,
  [REPORT_EXPORT_JOB]: (payload) => runReportExportJob(payload),
};
