import { db } from "~/db/index.server";
import { action as productAction, loader as productLoader } from "~/routes/admin.$shop.products.$product._index";
import { action as newAction, loader as newLoader } from "~/routes/admin.$shop.products.new";
import { loader as listLoader } from "~/routes/admin.$shop.products._index";
import { addMember, createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";

// Shops, people and requests for the catalog admin's integration tests.

let serial = 0;

/** A shop with an owner, a staff member and a county coordinator, each signed in. */
export async function shopWithTeam(slug = `catalog-${Date.now().toString(36)}-${++serial}`) {
  const county = await db().county.upsert({
    where: { code: "320281" },
    create: {
      code: "320281",
      slug: "county-320281",
      nameZh: "测试市",
      nameEn: "Test City",
      cityZh: "无锡市",
      cityEn: "Wuxi",
    },
    update: {},
  });
  const shop = await db().shop.create({
    data: {
      slug,
      nameZh: `${slug} 合作社`,
      nameEn: `${slug} Cooperative`,
      countyId: county.id,
      villageZh: "测试村",
      villageEn: "Test Village",
      status: "LIVE",
    },
  });
  const [owner, staff, coordinator] = [
    await createUser({ name: "店主" }),
    await createUser({ name: "店员小王" }),
    await createUser(),
  ];
  await addMember(shop.id, owner.id, "OWNER");
  await addMember(shop.id, staff.id, "STAFF");
  await db().countyCoordinator.create({ data: { countyId: county.id, userId: coordinator.id } });
  return {
    shop,
    owner: { ...owner, session: await signedIn(owner.id) },
    staff: { ...staff, session: await signedIn(staff.id) },
    coordinator: { ...coordinator, session: await signedIn(coordinator.id) },
  };
}

export type ShopWithTeam = Awaited<ReturnType<typeof shopWithTeam>>;

const origin = "http://localhost";
type Fields = Record<string, string | string[]>;

/** The route modules' loaders and actions, called as Remix would. */
export const admin = {
  list: (session: Session, shop: string, query = "") =>
    run(listLoader, getAs(session, `${origin}/admin/${shop}/products${query}`), { shop }),
  newPage: (session: Session, shop: string, query = "") =>
    run(newLoader, getAs(session, `${origin}/admin/${shop}/products/new${query}`), { shop }),
  create: (session: Session, shop: string, fields: Fields) =>
    run(newAction, postAs(session, `${origin}/admin/${shop}/products/new`, fields), { shop }),
  page: (session: Session, shop: string, product: string, query = "") =>
    run(productLoader, getAs(session, `${origin}/admin/${shop}/products/${product}${query}`), { shop, product }),
  post: (session: Session, shop: string, product: string, intent: string, fields: Fields = {}) =>
    run(productAction, postAs(session, `${origin}/admin/${shop}/products/${product}`, { intent, ...fields }), {
      shop,
      product,
    }),
};

/** What a loader or action returned, typed for the assertions. */
export function dataOf<T = Record<string, unknown>>(result: { data?: unknown }): T {
  return result.data as unknown as T;
}

/** The product id in a redirect to its page. */
export function productIdFrom(location: string | null): string {
  const match = /\/products\/([^/?#]+)/.exec(location ?? "");
  if (!match) throw new Error(`not a product page: ${location}`);
  return match[1]!;
}

export const produceFields = (overrides: Fields = {}): Fields => ({
  kind: "PRODUCE",
  titleZh: "阳山水蜜桃",
  titleEn: "Yangshan Honey Peach",
  summaryZh: "皮薄汁多",
  status: "ACTIVE",
  harvestMonths: ["7", "6", "8"],
  coldChain: "on",
  shelfLifeDays: "5",
  storageZh: "0–4℃ 冷藏",
  presale: "on",
  presaleYieldCap: "800",
  presaleShipBy: "2027-07-10",
  giName: "阳山水蜜桃",
  giAuthNumber: "GI-2027-001",
  ...overrides,
});

export const specialtyFields = (overrides: Fields = {}): Fields => ({
  kind: "SPECIALTY",
  titleZh: "洞庭山碧螺春",
  giName: "洞庭山碧螺春",
  giAuthNumber: "GI-BLC-9",
  shelfLifeDays: "540",
  storageZh: "密封避光",
  ...overrides,
});

export const experienceFields = (overrides: Fields = {}): Fields => ({
  kind: "EXPERIENCE",
  titleZh: "桃园采摘半日游",
  durationMinutes: "120",
  meetingPointZh: "村口大樟树",
  meetingPointEn: "The camphor tree at the village gate",
  includedZh: "门票、采摘篮",
  ...overrides,
});

/** Creates a product through the form; returns its id. */
export async function createProductAs(session: Session, shop: string, fields: Fields) {
  const result = await admin.create(session, shop, fields);
  if (result.status !== 302) throw new Error(`create failed (${result.status}): ${JSON.stringify(result.data)}`);
  return productIdFrom(result.location);
}
