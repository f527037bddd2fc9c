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
    // `contents`: the <img> is the box that lays out (so its size, shrink-0 and object-cover
    // classes apply), not an inline <picture> around it that a flex row may squeeze. The
    // <source>s are then hidden so that they take no place (or gap) in a flex row either;
    // the browser still picks from them.
    <picture className="contents">
      {picture.avifSrcSet ? (
        <source type="image/avif" srcSet={picture.avifSrcSet} sizes={sizes} className="hidden" />
      ) : null}
      <source type="image/webp" srcSet={picture.webpSrcSet} sizes={sizes} className="hidden" />
      <img
        src={picture.src}
        srcSet={picture.jpegSrcSet}
        sizes={sizes}
        width={picture.width}
        height={picture.height}
        alt={alt ?? picture.alt}
        loading={eager ? "eager" : "lazy"}
        decoding={eager ? "sync" : "async"}
        // React 18 knows the attribute only in lower case (React 19 takes fetchPriority).
        {...{ fetchpriority: eager ? "high" : undefined }}
        className={className}
        style={{ backgroundColor: picture.color }}
      />
    </picture>
  );
}
