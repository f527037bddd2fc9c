import { useTranslation } from "react-i18next";
import { balanceText, balanceWords } from "~/modules/ledger/balance-words";

/** A signed ledger balance in words: who owes whom and how much, or settled (app/modules/ledger/balance-words.ts). */
export function BalanceWords({ balanceFen, className }: { balanceFen: number; className?: string }) {
  const { t, i18n } = useTranslation();
  const { direction } = balanceWords(balanceFen);
  return (
    <span className={className} data-owing={direction} data-fen={balanceFen}>
      {balanceText(t, i18n.language, balanceFen)}
    </span>
  );
}
