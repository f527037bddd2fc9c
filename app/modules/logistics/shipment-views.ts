import type { ShipmentStatus } from "./shipment-status";

// The shipment as the cooperative's and the buyer's pages show it (plain JSON: dates as ISO
// strings, money in fen, names in the reader's language). Pure types and helpers.

export interface ShipmentTimelineEvent {
  id: string;
  /** created | assigned | accepted | rejected | picked_up | … | cancelled (ShipmentEventType) */
  type: string;
  at: string;
  note: string | null;
  lockerCode: string | null;
}

export interface ShipmentView {
  status: ShipmentStatus;
  partnerName: string | null;
  waybillNo: string | null;
  carrier: string | null;
  parcelCount: number;
  weightGrams: number;
  coldChain: boolean;
  codAmountFen: number;
  codCollectedFen: number | null;
  pickupPoint: { kind: "POINT" | "LOCKER"; name: string; address: string } | null;
  lockerCode: string | null;
  /** Why delivery failed (or why the partner refused it: the cooperative's page only). */
  reason: string | null;
  events: ShipmentTimelineEvent[];
}

/** 13812341234 → 138****1234 (labels and anything printed). */
export function maskMobile(phone: string | null | undefined): string {
  if (!phone) return "";
  const digits = phone.replace(/[\s-]/g, "");
  return digits.length === 11 ? `${digits.slice(0, 3)}****${digits.slice(7)}` : digits.replace(/.(?=.{4})/g, "*");
}

/** Events a buyer sees: the platform's internal moves (offering it to a partner, a partner's refusal) stay out. */
export const BUYER_HIDDEN_EVENTS: readonly string[] = ["assigned", "rejected"];
