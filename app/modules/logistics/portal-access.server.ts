import type { SignedInUser } from "~/modules/identity/session.server";
import type { Manifest } from "./manifest-schemas";
import { getManifest, manifestPartner } from "./manifests.cross-shop.server";
import { requirePartnerStaff } from "./partner-staff.server";

const notFound = () => new Response(null, { status: 404, statusText: "Not Found" });

/**
 * A run for the portal: the signed-in user must be on the staff of the partner that runs it.
 * Another partner's run answers 404, exactly like one that does not exist.
 */
export async function requirePortalRun(
  request: Request,
  manifestId: string | undefined,
): Promise<{ user: SignedInUser; partnerId: string; manifest: Manifest }> {
  const { user, partners } = await requirePartnerStaff(request);
  const partnerId = manifestId ? await manifestPartner({ partnerIds: partners.map((p) => p.id), manifestId }) : null;
  if (!partnerId) throw notFound();
  const manifest = await getManifest({ partnerId, id: manifestId! });
  if (!manifest) throw notFound();
  return { user, partnerId, manifest };
}

/** A stop of the run (404 when the run has no such stop with parcels). */
export function stopOf(manifest: Manifest, stopId: string | undefined) {
  for (const town of manifest.townships)
    for (const village of town.villages)
      for (const stop of village.stops)
        if (stop.id === stopId) return { township: town.name, village: village.name, stop };
  throw notFound();
}
