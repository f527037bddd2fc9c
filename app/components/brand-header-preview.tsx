import { useTranslation } from "react-i18next";
import type { PictureData } from "~/modules/media/presets";
import { Picture } from "./picture";

/**
 * The storefront header as ShopFrame draws it (white text on the primary colour, the accent
 * as a stripe), plus a sample of dark text on the accent, for the branding page's preview.
 * Nothing in it is a link: it is a picture of the header, not a second one.
 */
export function BrandHeaderPreview({
  name,
  village,
  county,
  logo,
  primary,
  accent,
}: {
  name: string;
  village: string;
  county: string;
  logo: PictureData | null;
  primary: string;
  accent: string;
}) {
  const { t } = useTranslation();
  const style = { "--brand": primary, "--accent": accent } as React.CSSProperties;
  return (
    <div style={style} className="overflow-hidden rounded-2xl ring-1 ring-stone-200" data-testid="brand-preview" aria-hidden="true">
      <div className="bg-[var(--brand)] text-white">
        <div className="flex items-center gap-3 px-4 py-3">
          <span className="flex min-w-0 flex-1 items-center gap-3">
            {logo ? (
              <Picture picture={logo} sizes="48px" alt="" className="size-12 shrink-0 rounded-xl bg-white object-cover ring-2 ring-white/60" />
            ) : null}
            <span className="min-w-0">
              <span className="block truncate text-lg font-bold leading-tight">{name}</span>
              <span className="block truncate text-sm text-white/85">
                {village} · {county}
              </span>
            </span>
          </span>
          <span className="inline-flex min-h-10 shrink-0 items-center rounded-full border border-current/40 px-3 text-sm font-medium">
            {t("app.switchTo")}
          </span>
        </div>
        <div className="h-1 bg-[var(--accent)]" />
      </div>
      <div className="bg-white px-4 py-3">
        <span className="inline-block rounded-lg bg-[var(--accent)] px-3 py-1 text-sm font-medium text-ink">
          {t("media.branding.accentSample")}
        </span>
      </div>
    </div>
  );
}
