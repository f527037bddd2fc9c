// One JSON file per area, merged into one namespace. Each file's keys sit under its own top-level key.
import common from "./common.json";
import storefront from "./storefront.json";
import tenants from "./tenants.json";
import auth from "./auth.json";
import admin from "./admin.json";
import shopsetup from "./shopsetup.json";
import platform from "./platform.json";
import catalog from "./catalog.json";
import batches from "./batches.json";
import media from "./media.json";
import trace from "./trace.json";
import market from "./market.json";
import paging from "./paging.json";
import cart from "./cart.json";
import orders from "./orders.json";
import money from "./money.json";
import checkout from "./checkout.json";
import security from "./security.json";
import portal from "./portal.json";
import shipments from "./shipments.json";
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
import reportExports from "./report-exports.json";
import account from "./account.json";
import pages from "./pages.json";
import search from "./search.json";
import reviews from "./reviews.json";
import staticPages from "./static-pages.json";
import cluster from "./cluster.json";

const messages = {
  ...common,
  ...storefront,
  ...tenants,
  ...auth,
  ...admin,
  ...shopsetup,
  ...platform,
  ...catalog,
  ...batches,
  ...media,
  ...trace,
  ...cart,
  ...market,
  ...paging,
  ...orders,
  ...money,
  ...checkout,
  ...security,
  ...portal,
  ...shipments,
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
  ...reportExports,
  ...account,
  ...pages,
  ...search,
  ...reviews,
  ...staticPages,
  ...cluster,
};
export default messages;
