import type { PictureData } from "~/modules/media/presets";

/** What every page of a shop shows in its themed header. */
export interface ShopHeaderData {
  slug: string;
  name: string;
  village: string;
  county: string;
  tagline: string | null;
  themePrimary: string;
  themeAccent: string;
  isDemo: boolean;
  logo: PictureData | null;
  /** "" on the shop's own host, "/s/<slug>" on the platform host. */
  basePath: string;
  viaHost: boolean;
}
