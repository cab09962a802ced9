import { createContext, useContext } from "react";

/** The per-response CSP nonce (server only; the browser hides nonces from the DOM, so it is "" there). */
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
