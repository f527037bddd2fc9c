import { db } from "~/db/index.server";
import { creditCodeCheckChar } from "~/modules/tenancy/credit-code";
import { action as newShopAction } from "~/routes/admin.new";
import { postAs, run, type Session } from "../support/auth";

// Shared set-up for the shops-*.test.ts files: counties, form fields, shops ready for review.

let serial = 0;

export async function createCounty(code = "320206") {
  return db().county.upsert({
    where: { code },
    create: {
      code,
      slug: `county-${code}`,
      nameZh: `测试区${code}`,
      nameEn: `Test ${code}`,
      cityZh: "无锡市",
      cityEn: "Wuxi",
    },
    update: {},
  });
}

/** A valid 统一社会信用代码, different at each call. */
export function creditCode() {
  const body = `933202${String(Date.now() % 1e7).padStart(7, "0")}${String(++serial).padStart(4, "0")}`.slice(0, 17);
  return body + creditCodeCheckChar(body);
}

/** The new-shop form as a cooperative fills it in. */
export function shopFields(countyId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    nameZh: "阳山桃源",
    countyId,
    villageZh: "桃源村",
    contactName: "王建国",
    contactPhone: "138 0013 8000",
    ...overrides,
  };
}

/** Creates a shop through the /admin/new action; returns its slug and id. */
export async function createShopAs(session: Session, fields: Record<string, string>) {
  const result = await run(newShopAction, postAs(session, "http://localhost/admin/new", fields));
  if (result.status !== 302) throw new Error(`shop not created: ${result.status} ${JSON.stringify(result.data)}`);
  const slug = result.location!.split("?")[0]!.split("/").pop()!;
  const shop = await db().shop.findUniqueOrThrow({ where: { slug } });
  return { slug, id: shop.id };
}

/** Gives a shop what submission needs: a credit code, a logo, and an active product with a photo. */
export async function makeReadyForReview(shopId: string) {
  const image = (role: "LOGO" | "PRODUCT", productId: string | null) =>
    db().image.create({
      data: {
        shopId,
        productId,
        role,
        contentHash: `${role}-${shopId}`,
        width: 10,
        height: 10,
        bytes: 100,
        dominantColor: "#336633",
      },
    });
  const logo = await image("LOGO", null);
  await db().shop.update({ where: { id: shopId }, data: { creditCode: creditCode(), logoImageId: logo.id } });
  const product = await db().product.create({
    data: { shopId, slug: "peach", kind: "PRODUCE", status: "ACTIVE", titleZh: "水蜜桃", harvestMonths: [7] },
  });
  await image("PRODUCT", product.id);
  return { productId: product.id };
}
