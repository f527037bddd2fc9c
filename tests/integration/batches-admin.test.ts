import { beforeAll, describe, expect, it } from "vitest";
import { db, unscopedDb } from "~/db/index.server";
import { action as editAction, loader as editLoader } from "~/routes/admin.$shop.batches.$batch._index";
import { loader as listLoader } from "~/routes/admin.$shop.batches._index";
import { action as newAction, loader as newLoader } from "~/routes/admin.$shop.batches.new";
import { syncTenants } from "~/modules/tenants/sync.server";
import { batchSchema } from "~/modules/trace/batch-schema";
import { saveBatch } from "~/modules/trace/batches.server";
import { TRACE_CODE_PATTERN } from "~/modules/trace/trace-code";
import { newTraceCode } from "~/modules/trace/trace-code.server";
import { addMember, createUser, getAs, postAs, run, signedIn, type Session } from "../support/auth";
import { samplePack, writePacks } from "../support/packs";

/** The data a loader or action returned (run() types it loosely). */
const dataOf = <T>(result: { data?: unknown }) => result.data as T;

// Batches in the admin: create and edit with inputs and linked products, refuse bad or
// unsafe records without writing anything, and never reach across shops.

const A = "batch-alpha";
const B = "batch-beta";
const C = "batch-gamma"; // a shop without batches
let shopA: { id: string; countyId: string };
let shopB: { id: string };
let productsA: Record<string, string>;
let productsB: Record<string, string>;
let batchB: string;
let owner: Session;
let staff: Session;
let coordinator: Session;
let ownerOfB: Session;

async function productIds(shopId: string) {
  const rows = await db().product.findMany({ where: { shopId }, select: { id: true, slug: true } });
  return Object.fromEntries(rows.map((p) => [p.slug, p.id]));
}

async function batchCount(shopId: string) {
  return db().batch.count({ where: { shopId } });
}

beforeAll(async () => {
  const withoutBatches = { ...samplePack(C, "320507"), batches: [] };
  const results = await syncTenants(writePacks([samplePack(A), samplePack(B, "320507"), withoutBatches]));
  expect(results.every((r) => r.ok)).toBe(true);
  shopA = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: A } });
  shopB = await unscopedDb().shop.findUniqueOrThrow({ where: { slug: B } });
  productsA = await productIds(shopA.id);
  productsB = await productIds(shopB.id);
  batchB = (await db().batch.findFirstOrThrow({ where: { shopId: shopB.id } })).id;

  const [o, s, c, ob] = await Promise.all([createUser(), createUser(), createUser(), createUser()]);
  await addMember(shopA.id, o.id, "OWNER");
  await addMember(shopA.id, s.id, "STAFF");
  await db().countyCoordinator.create({ data: { countyId: shopA.countyId, userId: c.id } });
  await addMember(shopB.id, ob.id, "OWNER");
  await addMember((await unscopedDb().shop.findUniqueOrThrow({ where: { slug: C } })).id, ob.id, "OWNER");
  [owner, staff, coordinator, ownerOfB] = await Promise.all([
    signedIn(o.id),
    signedIn(s.id),
    signedIn(c.id),
    signedIn(ob.id),
  ]);
});

/** A complete, valid form, with a blank spare row between two inputs. */
function validForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    productNameZh: "水蜜桃（7 月批）",
    productNameEn: "Honey peach (July lot)",
    harvestDate: "2026-07-12",
    originPlotZh: "桃源村 3 号桃园",
    quantity: "600",
    quantityUnit: "斤",
    testReportZh: "农药残留快速检测合格。",
    testedAt: "2026-07-11",
    testedBy: "阳山镇农产品质量安全监管站",
    certProducer: "测试桃业合作社",
    certContactPhone: "138 0000 1234",
    certOrigin: "江苏省无锡市惠山区阳山镇桃源村",
    certIssuedOn: "2026-07-12",
    certCommitments: ["NO_BANNED_PESTICIDES", "PESTICIDE_RESIDUE_COMPLIANT"],
    certBasis: "SELF_CHECK",
    products: [productsA["peach-box"]!, productsA["tea-tin"]!],
    "inputs[0].kind": "FERTILISER",
    "inputs[0].nameZh": "腐熟菜籽饼",
    "inputs[0].appliedOn": "2026-02-20",
    "inputs[0].safetyIntervalDays": "",
    "inputs[1].kind": "",
    "inputs[1].nameZh": "",
    "inputs[1].nameEn": "",
    "inputs[1].appliedOn": "",
    "inputs[1].safetyIntervalDays": "",
    "inputs[2].kind": "PESTICIDE",
    "inputs[2].nameZh": "苦参碱水剂",
    "inputs[2].nameEn": "Matrine",
    "inputs[2].appliedOn": "2026-06-20",
    "inputs[2].safetyIntervalDays": "10",
    ...overrides,
  };
}

const url = (shop: string, path = "") => `http://localhost/admin/${shop}/batches${path}`;

async function createBatch(session: Session, form = validForm()) {
  const result = await run(newAction, postAs(session, url(A, "/new"), form), { shop: A });
  expect(result.status).toBe(302);
  const id = result.location!.match(/\/batches\/([^/?]+)\?saved=1$/)![1]!;
  return db().batch.findUniqueOrThrow({
    where: { shopId_id: { shopId: shopA.id, id } },
    include: {
      inputs: { where: { shopId: shopA.id }, orderBy: { position: "asc" } },
      products: { where: { shopId: shopA.id } },
    },
  });
}

function errorsOf(result: { data?: unknown }) {
  return (result.data as { error?: Record<string, string[] | null> } | undefined)?.error ?? {};
}

describe("creating and editing batches", () => {
  it("creates a batch with its inputs, 合格证 and linked products, under a fresh trace code", async () => {
    const batch = await createBatch(owner);
    expect(batch.traceCode).toMatch(TRACE_CODE_PATTERN);
    expect(batch.productNameZh).toBe("水蜜桃（7 月批）");
    expect(batch.harvestDate.toISOString().slice(0, 10)).toBe("2026-07-12");
    expect(batch.quantity).toBe(600);
    expect(batch.certContactPhone).toBe("13800001234");
    expect(batch.certCommitments).toEqual(["NO_BANNED_PESTICIDES", "PESTICIDE_RESIDUE_COMPLIANT"]);
    expect(batch.certBasis).toBe("SELF_CHECK");
    // The blank spare row is ignored; the others keep their order.
    expect(
      batch.inputs.map((i) => [
        i.kind,
        i.nameZh,
        i.appliedOn.toISOString().slice(0, 10),
        i.safetyIntervalDays,
        i.position,
      ]),
    ).toEqual([
      ["FERTILISER", "腐熟菜籽饼", "2026-02-20", null, 0],
      ["PESTICIDE", "苦参碱水剂", "2026-06-20", 10, 1],
    ]);
    expect(batch.products.map((p) => p.productId).sort()).toEqual(
      [productsA["peach-box"], productsA["tea-tin"]].sort(),
    );

    const list = await run(listLoader, getAs(owner, url(A)), { shop: A });
    const rows = dataOf<{ batches: { traceCode: string; products: string[] }[] }>(list).batches;
    expect(rows.find((r) => r.traceCode === batch.traceCode)!.products).toEqual(["水蜜桃礼盒", "碧螺春"]);
  });

  it("lists batches newest harvest first, and offers an empty state to a shop without any", async () => {
    await createBatch(
      owner,
      validForm({ harvestDate: "2026-08-30", certIssuedOn: "2026-08-30", productNameZh: "晚熟桃" }),
    );
    const list = await run(listLoader, getAs(owner, url(A)), { shop: A });
    const dates = dataOf<{ batches: { harvestDate: string }[] }>(list).batches.map((b) => b.harvestDate);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates[0]).toBe("2026-08-30");

    const empty = await run(listLoader, getAs(ownerOfB, url(C)), { shop: C });
    expect(dataOf<{ batches: unknown[]; canEdit: boolean }>(empty)).toMatchObject({ batches: [], canEdit: true });
  });

  it("edits a batch: replaces its record, inputs and links, and keeps its trace code", async () => {
    const batch = await createBatch(owner);
    const form = validForm({
      quantity: "580",
      products: [productsA["tea-tin"]!],
      "inputs[2].kind": "",
      "inputs[2].nameZh": "",
      "inputs[2].nameEn": "",
      "inputs[2].appliedOn": "",
      "inputs[2].safetyIntervalDays": "",
      "inputs[1].kind": "OTHER",
      "inputs[1].nameZh": "人工除草",
      "inputs[1].appliedOn": "2026-05-01",
    });
    const result = await run(editAction, postAs(owner, url(A, `/${batch.id}`), form), { shop: A, batch: batch.id });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`/admin/${A}/batches/${batch.id}?saved=1`);
    const after = await db().batch.findUniqueOrThrow({
      where: { shopId_id: { shopId: shopA.id, id: batch.id } },
      include: {
        inputs: { where: { shopId: shopA.id }, orderBy: { position: "asc" } },
        products: { where: { shopId: shopA.id } },
      },
    });
    expect(after.traceCode).toBe(batch.traceCode);
    expect(after.quantity).toBe(580);
    expect(after.inputs.map((i) => i.nameZh)).toEqual(["腐熟菜籽饼", "人工除草"]);
    expect(after.products.map((p) => p.productId)).toEqual([productsA["tea-tin"]]);

    const page = await run(editLoader, getAs(owner, `${url(A, `/${batch.id}`)}?saved=1`), { shop: A, batch: batch.id });
    const data = dataOf<{ saved: boolean; batch: { values: { quantity: string; inputs: unknown[] } } }>(page);
    expect(data.saved).toBe(true);
    expect(data.batch.values.quantity).toBe("580");
    expect(data.batch.values.inputs).toHaveLength(2);
  });

  it("new batches start with the cooperative's 合格证 details and its products to link", async () => {
    const page = await run(newLoader, getAs(owner, url(A, "/new")), { shop: A });
    const data = dataOf<{ defaults: { certProducer: string; certContactPhone: string }; products: { id: string }[] }>(
      page,
    );
    expect(data.defaults.certProducer).toBe(`${A} 合作社`);
    expect(data.defaults.certContactPhone).toBe("13800000000");
    expect(data.products.map((p) => p.id).sort()).toEqual(Object.values(productsA).sort());
  });
  it("adds an input row without JavaScript, saving nothing", async () => {
    const before = await batchCount(shopA.id);
    const intent = JSON.stringify({ type: "insert", payload: { name: "inputs" } });
    const result = await run(newAction, postAs(owner, url(A, "/new"), validForm({ __intent__: intent })), { shop: A });
    expect(result.status).toBe(200);
    expect(Object.keys(dataOf<{ initialValue: { inputs: unknown[] } }>(result).initialValue.inputs)).toHaveLength(4);
    expect(await batchCount(shopA.id)).toBe(before);
  });
});

describe("refusing bad and unsafe batches", () => {
  async function refused(form: Record<string, string | string[]>, expected: Record<string, string>) {
    const before = await batchCount(shopA.id);
    const result = await run(newAction, postAs(owner, url(A, "/new"), form), { shop: A });
    expect(result.status).toBe(400);
    const errors = errorsOf(result);
    for (const [field, key] of Object.entries(expected)) expect(errors[field]?.[0] ?? "").toContain(key);
    expect(await batchCount(shopA.id)).toBe(before);
    return errors;
  }

  it("requires the 合格证's producer, contact, origin, date and at least one commitment", async () => {
    const form = validForm({ certProducer: "", certContactPhone: "", certOrigin: " ", certIssuedOn: "" });
    delete form.certCommitments;
    await refused(form, {
      certProducer: "batches.errors.producerRequired",
      certContactPhone: "batches.errors.phoneRequired",
      certOrigin: "batches.errors.certOriginRequired",
      certIssuedOn: "batches.errors.issuedOnRequired",
      certCommitments: "batches.errors.commitmentsRequired",
    });
    await refused(validForm({ certContactPhone: "12345" }), { certContactPhone: "batches.errors.phoneInvalid" });
  });

  it("refuses dates that are not real YYYY-MM-DD days", async () => {
    await refused(validForm({ harvestDate: "2026-02-30" }), { harvestDate: "batches.errors.dateInvalid" });
    await refused(validForm({ testedAt: "12/07/2026", "inputs[0].appliedOn": "2026/02/20" }), {
      testedAt: "batches.errors.dateInvalid",
      "inputs[0].appliedOn": "batches.errors.dateInvalid",
    });
  });

  it("requires a pesticide's safety interval, and each used row's kind, name and date", async () => {
    await refused(validForm({ "inputs[2].safetyIntervalDays": "" }), {
      "inputs[2].safetyIntervalDays": "batches.errors.intervalRequired",
    });
    await refused(validForm({ "inputs[1].nameZh": "有机肥" }), {
      "inputs[1].kind": "batches.errors.inputKindRequired",
      "inputs[1].appliedOn": "batches.errors.appliedOnRequired",
    });
    await refused(validForm({ "inputs[2].safetyIntervalDays": "-3" }), {
      "inputs[2].safetyIntervalDays": "batches.errors.intervalInvalid",
    });
  });

  it("refuses a harvest inside a pesticide's safety interval, naming the days", async () => {
    const errors = await refused(validForm({ "inputs[2].appliedOn": "2026-07-05" }), {
      "inputs[2].appliedOn": "batches.errors.withinSafetyInterval",
    });
    expect(errors["inputs[2].appliedOn"]![0]).toBe('batches.errors.withinSafetyInterval|{"days":7,"interval":10}');
    // Exactly at the interval is allowed.
    expect(
      batchSchema.safeParse({
        ...parsedBase(),
        inputs: [{ kind: "PESTICIDE", nameZh: "x", appliedOn: "2026-07-02", safetyIntervalDays: 10 }],
      }).success,
    ).toBe(true);
  });

  it("refuses an unsafe edit too, leaving the batch as it was", async () => {
    const batch = await createBatch(owner);
    const result = await run(
      editAction,
      postAs(owner, url(A, `/${batch.id}`), validForm({ quantity: "1", "inputs[2].appliedOn": "2026-07-10" })),
      { shop: A, batch: batch.id },
    );
    expect(result.status).toBe(400);
    expect(errorsOf(result)["inputs[2].appliedOn"]![0]).toContain("batches.errors.withinSafetyInterval");
    const after = await db().batch.findUniqueOrThrow({ where: { shopId_id: { shopId: shopA.id, id: batch.id } } });
    expect(after.quantity).toBe(600);
  });

  it("refuses to link another shop's products, on create and on edit", async () => {
    const before = await batchCount(shopA.id);
    const foreign = validForm({ products: [productsA["peach-box"]!, productsB["peach-box"]!] });
    const created = await run(newAction, postAs(owner, url(A, "/new"), foreign), { shop: A });
    expect(created.status).toBe(400);
    expect(errorsOf(created).products).toEqual(["batches.errors.productUnknown"]);
    expect(await batchCount(shopA.id)).toBe(before);

    const batch = await createBatch(owner);
    const edited = await run(editAction, postAs(owner, url(A, `/${batch.id}`), foreign), { shop: A, batch: batch.id });
    expect(edited.status).toBe(400);
    const links = await db().batchProduct.findMany({ where: { shopId: shopA.id, batchId: batch.id } });
    expect(links).toHaveLength(2);
    expect(await db().batchProduct.count({ where: { shopId: shopA.id, productId: productsB["peach-box"]! } })).toBe(0);
  });
});

function parsedBase() {
  return {
    productNameZh: "桃",
    harvestDate: "2026-07-12",
    originPlotZh: "地",
    quantity: 1,
    quantityUnit: "斤",
    certProducer: "社",
    certContactPhone: "13800000000",
    certOrigin: "村",
    certIssuedOn: "2026-07-12",
    certCommitments: ["NO_BANNED_PESTICIDES"],
  };
}

describe("trace codes", () => {
  it("are 12 characters of the unambiguous alphabet, and differ", () => {
    const codes = Array.from({ length: 2000 }, newTraceCode);
    for (const code of codes) {
      expect(code).toMatch(TRACE_CODE_PATTERN);
      expect(code).not.toMatch(/[01IO]/);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("differ between batches, and a clash with an existing code is retried", async () => {
    const one = await createBatch(owner);
    const two = await createBatch(staff);
    expect(one.traceCode).not.toBe(two.traceCode);

    const taken = (await db().batch.findFirstOrThrow({ where: { shopId: shopB.id } })).traceCode; // another shop's code
    const fresh = newTraceCode();
    const codes = [taken, fresh];
    const values = batchSchema.parse({ ...parsedBase(), products: [] });
    const saved = await saveBatch({ shopId: shopA.id, values, nextTraceCode: () => codes.shift()! });
    expect(saved).toMatchObject({ ok: true, traceCode: fresh });
  });
});

describe("access", () => {
  it("answers 404 to a member of shop A for every loader and action under shop B", async () => {
    const form = validForm({ products: [] });
    expect((await run(listLoader, getAs(owner, url(B)), { shop: B })).status).toBe(404);
    expect((await run(newLoader, getAs(owner, url(B, "/new")), { shop: B })).status).toBe(404);
    expect((await run(newAction, postAs(owner, url(B, "/new"), form), { shop: B })).status).toBe(404);
    expect((await run(editLoader, getAs(owner, url(B, `/${batchB}`)), { shop: B, batch: batchB })).status).toBe(404);
    expect((await run(editAction, postAs(owner, url(B, `/${batchB}`), form), { shop: B, batch: batchB })).status).toBe(
      404,
    );
    expect(await batchCount(shopB.id)).toBe(1);
  });

  it("answers 404 for shop B's batch under shop A's URL, even to A's owner", async () => {
    const before = await db().batch.findUniqueOrThrow({ where: { shopId_id: { shopId: shopB.id, id: batchB } } });
    expect((await run(editLoader, getAs(owner, url(A, `/${batchB}`)), { shop: A, batch: batchB })).status).toBe(404);
    const valid = await run(editAction, postAs(owner, url(A, `/${batchB}`), validForm({ products: [] })), {
      shop: A,
      batch: batchB,
    });
    expect(valid.status).toBe(404);
    const invalid = await run(editAction, postAs(owner, url(A, `/${batchB}`), { productNameZh: "" }), {
      shop: A,
      batch: batchB,
    });
    expect(invalid.status).toBe(404);
    const after = await db().batch.findUniqueOrThrow({ where: { shopId_id: { shopId: shopB.id, id: batchB } } });
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it("lets STAFF create and edit batches", async () => {
    const batch = await createBatch(staff);
    const edited = await run(editAction, postAs(staff, url(A, `/${batch.id}`), validForm({ quantity: "7" })), {
      shop: A,
      batch: batch.id,
    });
    expect(edited.status).toBe(302);
  });

  it("lets a county coordinator look but answers 403 to every change", async () => {
    const batch = await createBatch(owner);
    expect((await run(listLoader, getAs(coordinator, url(A)), { shop: A })).status).toBe(200);
    const page = await run(editLoader, getAs(coordinator, url(A, `/${batch.id}`)), { shop: A, batch: batch.id });
    expect(page.status).toBe(200);
    expect(dataOf<{ canEdit: boolean }>(page).canEdit).toBe(false);
    expect((await run(newLoader, getAs(coordinator, url(A, "/new")), { shop: A })).status).toBe(403);
    const before = await batchCount(shopA.id);
    expect((await run(newAction, postAs(coordinator, url(A, "/new"), validForm()), { shop: A })).status).toBe(403);
    expect(
      (
        await run(editAction, postAs(coordinator, url(A, `/${batch.id}`), validForm({ quantity: "1" })), {
          shop: A,
          batch: batch.id,
        })
      ).status,
    ).toBe(403);
    expect(await batchCount(shopA.id)).toBe(before);
    expect(
      (await db().batch.findUniqueOrThrow({ where: { shopId_id: { shopId: shopA.id, id: batch.id } } })).quantity,
    ).toBe(600);
  });

  it("refuses changes without this browser's CSRF token", async () => {
    const before = await batchCount(shopA.id);
    expect(
      (await run(newAction, postAs(owner, url(A, "/new"), validForm(), { csrf: false }), { shop: A })).status,
    ).toBe(403);
    expect(await batchCount(shopA.id)).toBe(before);
  });

  it("sends signed-out visitors to sign in", async () => {
    const result = await run(listLoader, getAs(null, url(A)), { shop: A });
    expect(result.status).toBe(302);
    expect(result.location).toContain("/login");
  });
});
