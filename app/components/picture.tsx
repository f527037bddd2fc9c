import type { PictureData } from "~/modules/media/presets";

/** A responsive picture: WebP with a JPEG fallback, sized by the layout, tinted while it loads. */
export function Picture({
  picture,
  sizes,
  className = "",
  eager = false,
  alt,
}: {
  picture: PictureData;
  sizes: string;
  className?: string;
  eager?: boolean;
  alt?: string;
}) {
  return (
    <picture>
      {picture.avifSrcSet ? <source type="image/avif" srcSet={picture.avifSrcSet} sizes={sizes} /> : null}
      <source type="image/webp" srcSet={picture.webpSrcSet} sizes={sizes} />
      <img
        src={picture.src}
        srcSet={picture.jpegSrcSet}
        sizes={sizes}
        width={picture.width}
        height={picture.height}
        alt={alt ?? picture.alt}
        loading={eager ? "eager" : "lazy"}
        decoding={eager ? "sync" : "async"}
        fetchPriority={eager ? "high" : undefined}
        className={className}
        style={{ backgroundColor: picture.color }}
      />
    </picture>
  );
}
