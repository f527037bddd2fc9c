import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import { platformOrigin } from "~/lib/origins.server";

// Headers every response of the server carries (server.ts), set by helmet, plus a
// Permissions-Policy (helmet has none). The Content-Security-Policy is not among them: it is
// made per document, with that document's nonce, in entry.server.tsx — a policy set here would
// also ride on 304s and pair a new nonce with a cached body (docs/decisions/015-threat-model.md).

/** Browser features the site never uses, denied to it and to anything it might embed. */
export const DENIED_FEATURES = [
  "accelerometer",
  "autoplay",
  "browsing-topics",
  "camera",
  "display-capture",
  "encrypted-media",
  "fullscreen",
  "geolocation",
  "gyroscope",
  "hid",
  "idle-detection",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "picture-in-picture",
  "publickey-credentials-get",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
] as const;

export const PERMISSIONS_POLICY = DENIED_FEATURES.map((feature) => `${feature}=()`).join(", ");

/** HSTS: a year, shops' sub-domains included (they are served by the same app, on the same scheme). */
export const HSTS_MAX_AGE = 365 * 24 * 60 * 60;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The middleware. HSTS is sent only when the platform's configured origin is https
 * (PUBLIC_ORIGIN): `npm start` on http://localhost must not pin a browser to https.
 */
export function securityHeaders(): Middleware {
  const https = new URL(platformOrigin()).protocol === "https:";
  const headers = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: https ? { maxAge: HSTS_MAX_AGE, includeSubDomains: true, preload: false } : false,
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    // Shops' hosts are sub-domains of the platform's: same site.
    crossOriginResourcePolicy: { policy: "same-site" },
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  });
  return (req, res, next) => {
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    headers(req, res, next);
  };
}
