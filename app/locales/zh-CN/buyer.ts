// What buyers' pages need in the browser (the marketplace, shops, products, trace records,
// the cart, sign-in and the error page): loaded when the page starts. The rest (staff.ts) is
// loaded only on the admin, platform and invitation pages (app/lib/i18n-client.ts).
// Keep the two lists together as index.ts: tests/unit/i18n-lite.test.ts checks it.
import admin from "./admin.json";
import auth from "./auth.json";
import cart from "./cart.json";
import checkout from "./checkout.json";
import common from "./common.json";
import market from "./market.json";
import paging from "./paging.json";
import storefront from "./storefront.json";
import trace from "./trace.json";
import shipments from "./shipments.json";
import account from "./account.json";
import pages from "./pages.json";
import reviews from "./reviews.json";

const messages = {
  ...common,
  ...storefront,
  ...auth,
  ...admin,
  ...trace,
  ...cart,
  ...market,
  ...paging,
  ...checkout,
  ...shipments,
  ...account,
  ...pages,
  ...reviews,
};
export default messages;
