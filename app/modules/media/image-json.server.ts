import { Prisma } from "~/generated/prisma/client";

// Pages that must cost one SQL statement read their pictures inside that statement, as JSON
// built by PostgreSQL (docs/perf.md, "Statements per page and pagination").

/**
 * SQL for one `"Image"` row, named by the alias `image`, as the JSON of an
 * `ImageWithRenditions` (media/picture.ts), its renditions read within the image's own shop.
 */
export function imageWithRenditionsJson(image: string): Prisma.Sql {
  // An alias written in our own code, never input: refuse anything else before it reaches SQL.
  if (!/^[a-z_]+$/.test(image)) throw new Error(`Not a table alias: ${image}`);
  const i = Prisma.raw(image);
  return Prisma.sql`json_build_object(
    'width', ${i}.width, 'height', ${i}.height, 'dominantColor', ${i}."dominantColor",
    'altZh', ${i}."altZh", 'altEn', ${i}."altEn",
    'renditions', coalesce((
      SELECT json_agg(json_build_object('preset', r.preset, 'format', r.format, 'width', r.width, 'storageKey', r."storageKey"))
        FROM "ImageRendition" r
       WHERE r."imageId" = ${i}.id AND r."shopId" = ${i}."shopId"
    ), '[]'::json))`;
}

/** SQL for the picture whose id is the value of `imageId`, read within the shop `shopId`: JSON as above, or null. */
export function imageJsonById(imageId: Prisma.Sql, shopId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT ${imageWithRenditionsJson("i")} FROM "Image" i WHERE i.id = ${imageId} AND i."shopId" = ${shopId})`;
}
