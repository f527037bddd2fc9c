import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, useErrorText } from "~/components/forms";
import { pick } from "~/lib/i18n";
import { formatFen } from "~/lib/money";

// 货到付款 held by logistics partners (issue #10), in words: who owes whom. The cooperative reads
// "the partner owes you (through the platform)"; the platform admin reads "the partner owes the
// platform, for this cooperative" and records the partner's payment.

export interface PartnerCodView {
  partnerId: string;
  partnerNameZh: string;
  partnerNameEn: string | null;
  collectedFen: number;
  remittedFen: number;
  owedFen: number;
  flagged: { shopOrderNumber: string; expectedFen: number | null; reportedFen: number | null }[];
}

export function CodOwedSection({
  partners,
  audience,
  shopName,
  remit,
}: {
  partners: PartnerCodView[];
  audience: "shop" | "platform";
  shopName?: string;
  /** Platform only: the form's one-time key and the last reply's error. */
  remit?: { key: string; busy: boolean; error?: string | null; partnerId?: string | null };
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const errorText = useErrorText();
  if (partners.length === 0) return null;
  const money = (fen: number) => formatFen(fen, lng);
  return (
    <section className="rounded-2xl bg-white p-4 ring-1 ring-stone-200" aria-labelledby="cod-heading">
      <h2 id="cod-heading" className="text-lg font-semibold">
        {t("money.cod.title")}
      </h2>
      <p className="mt-1 text-sm text-stone-700">{t(`money.cod.intro.${audience}`)}</p>
      <ul className="mt-3 flex flex-col gap-3">
        {partners.map((p) => {
          const partner = pick(lng, p.partnerNameZh, p.partnerNameEn);
          return (
            <li key={p.partnerId} className="rounded-xl bg-stone-50 p-3" data-testid="cod-partner">
              <p className="font-medium" data-owed-fen={p.owedFen}>
                {p.owedFen > 0
                  ? t(`money.cod.owes.${audience}`, { partner, amount: money(p.owedFen), shop: shopName ?? "" })
                  : t("money.cod.settled", { partner })}
              </p>
              <p className="text-sm text-stone-600">
                {t("money.cod.totals", { collected: money(p.collectedFen), remitted: money(p.remittedFen) })}
              </p>
              {p.flagged.length > 0 ? (
                <ul className="mt-2 flex flex-col gap-1 text-sm text-amber-900" data-testid="cod-flagged">
                  {p.flagged.map((f) => (
                    <li key={f.shopOrderNumber}>
                      {f.reportedFen === null
                        ? t("money.cod.notReported", {
                            order: f.shopOrderNumber,
                            expected: money(f.expectedFen ?? 0),
                          })
                        : t("money.cod.mismatch", {
                            order: f.shopOrderNumber,
                            expected: money(f.expectedFen ?? 0),
                            reported: money(f.reportedFen),
                          })}
                    </li>
                  ))}
                </ul>
              ) : null}
              {audience === "platform" && remit && p.owedFen > 0 ? (
                <Form method="post" className="mt-3 flex flex-wrap items-end gap-2">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="codRemittance" />
                  <input type="hidden" name="key" value={remit.key} />
                  <input type="hidden" name="partnerId" value={p.partnerId} />
                  {remit.error && remit.partnerId === p.partnerId ? (
                    <p role="alert" className="w-full text-sm text-red-700">
                      {errorText(remit.error)}
                    </p>
                  ) : null}
                  <label className="flex flex-col gap-1 text-sm font-medium">
                    {t("money.platform.amount")}
                    <input
                      name="amount"
                      inputMode="decimal"
                      defaultValue={(p.owedFen / 100).toFixed(2)}
                      className="min-h-11 w-36 rounded-lg border border-stone-300 bg-white px-3 text-base"
                    />
                  </label>
                  <label className="flex min-w-0 flex-[1_1_10rem] flex-col gap-1 text-sm font-medium">
                    {t("money.cod.reference")}
                    <input
                      name="reference"
                      maxLength={100}
                      className="min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base"
                    />
                  </label>
                  <button
                    type="submit"
                    disabled={remit.busy}
                    className="min-h-11 rounded-full bg-leaf px-5 font-semibold text-white disabled:opacity-60"
                  >
                    {t("money.cod.record")}
                  </button>
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
