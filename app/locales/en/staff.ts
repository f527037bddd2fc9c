// The cooperatives' and the platform's texts, loaded in the browser only where needed
// (see buyer.ts).
import batches from "./batches.json";
import catalog from "./catalog.json";
import media from "./media.json";
import money from "./money.json";
import orders from "./orders.json";
import platform from "./platform.json";
import shopsetup from "./shopsetup.json";
import tenants from "./tenants.json";
import security from "./security.json";
import portal from "./portal.json";
import packing from "./packing.json";
import logisticsPartners from "./logistics-partners.json";
import developers from "./developers.json";
import logisticsPush from "./logistics-push.json";
import coordinators from "./coordinators.json";
import reports from "./reports.json";
import dashboard from "./dashboard.json";
import salesReports from "./sales-reports.json";
import statistics from "./statistics.json";
import demo from "./demo.json";
import cluster from "./cluster.json";
import reportExports from "./report-exports.json";
import search from "./search.json";
import staticPages from "./static-pages.json";

const messages = {
  ...tenants,
  ...shopsetup,
  ...platform,
  ...catalog,
  ...batches,
  ...media,
  ...orders,
  ...money,
  ...security,
  ...portal,
  ...packing,
  ...logisticsPartners,
  ...developers,
  ...logisticsPush,
  ...coordinators,
  ...reports,
  ...dashboard,
  ...salesReports,
  ...statistics,
  ...demo,
  ...cluster,
  ...reportExports,
  ...search,
  ...staticPages,
};
export default messages;
