import { z } from "zod";
import { SLUG_PATTERN } from "~/modules/shops/slug-rules";

// The "add a county" form, checked the same way in the browser and on the server.
const required = (max: number, key: string) =>
  z
    .string({ required_error: key })
    .trim()
    .min(1, key)
    .max(max, `platform.errors.tooLong|${JSON.stringify({ max })}`);

export const countySchema = z.object({
  /** The administrative division code (行政区划代码) of a 县/区/县级市, e.g. 320206. */
  code: z
    .string({ required_error: "platform.errors.codeRequired" })
    .trim()
    .regex(/^\d{6}$/, "platform.errors.codeFormat"),
  slug: z
    .string({ required_error: "platform.errors.slugRequired" })
    .trim()
    .toLowerCase()
    .min(2, "platform.errors.slugFormat")
    .max(60, "platform.errors.slugFormat")
    .regex(SLUG_PATTERN, "platform.errors.slugFormat"),
  nameZh: required(40, "platform.errors.nameZhRequired"),
  nameEn: required(80, "platform.errors.nameEnRequired"),
  cityZh: required(40, "platform.errors.cityZhRequired"),
  cityEn: required(80, "platform.errors.cityEnRequired"),
});

export type CountyInput = z.output<typeof countySchema>;

// Appointing or removing a county coordinator on /platform/counties.
const countyCode = z
  .string({ required_error: "coordinators.errors.countyUnknown" })
  .trim()
  .regex(/^\d{6}$/, "coordinators.errors.countyUnknown");

export const coordinatorSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("appointCoordinator"),
    county: countyCode,
    identifier: z
      .string({ required_error: "coordinators.errors.identifierInvalid" })
      .trim()
      .min(1, "coordinators.errors.identifierInvalid")
      .max(254, "coordinators.errors.identifierInvalid"),
  }),
  z.object({
    intent: z.literal("removeCoordinator"),
    county: countyCode,
    userId: z.string({ required_error: "coordinators.errors.notCoordinator" }).min(1).max(64),
  }),
]);
