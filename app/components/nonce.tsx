import { createContext, useContext } from "react";

// The Content-Security-Policy nonce of the document being rendered (entry.server.tsx makes one
// per response). In the browser there is none: scripts React adds after hydration are loaded
// by the page's own (nonced) scripts, and JSON-LD data blocks are not executed.
const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
