// How a refused request is answered (see request-bounds.server.ts); shared with the error page,
// which shows the translated reason for the statusText.

export type Refusal = "tooLarge" | "notAForm" | "badForm" | "controlCharacters";

export const REFUSAL_STATUS: Record<Refusal, { status: number; statusText: string }> = {
  tooLarge: { status: 413, statusText: "Request Too Large" },
  notAForm: { status: 415, statusText: "Not A Form" },
  badForm: { status: 400, statusText: "Bad Form" },
  controlCharacters: { status: 400, statusText: "Control Characters" },
};

/** The i18n key of a refusal's explanation, from a response's status and statusText; null for any other response. */
export function refusalMessageKey(status: number, statusText: string): string | null {
  for (const [reason, answer] of Object.entries(REFUSAL_STATUS))
    if (answer.status === status && answer.statusText === statusText) return `request.${reason}`;
  return null;
}
