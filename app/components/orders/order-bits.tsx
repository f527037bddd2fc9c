import { useTranslation } from "react-i18next";

// Small pieces the cooperative's order pages share.

const STATUS_CLASS: Record<string, string> = {
  AWAITING_PAYMENT: "bg-amber-100 text-amber-900",
  ACCEPTED: "bg-teal-100 text-teal-900",
  PAID: "bg-sky-100 text-sky-900",
  PACKED: "bg-violet-100 text-violet-900",
  HANDED_OVER: "bg-indigo-100 text-indigo-900",
  DELIVERED: "bg-emerald-100 text-emerald-900",
  CANCELLED: "bg-stone-200 text-stone-700",
  REFUNDED: "bg-rose-100 text-rose-900",
};

export function OrderStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_CLASS[status] ?? ""}`}
      data-status={status}
    >
      {t(`orders.status.${status}`)}
    </span>
  );
}

/** A success notice after a redirect (?done=…). */
export function DoneNotice({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p
      role="status"
      className="rounded-lg bg-emerald-50 px-3 py-2 text-emerald-900 ring-1 ring-emerald-200"
      data-testid="done"
    >
      {text}
    </p>
  );
}
