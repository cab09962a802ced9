import { useTranslation } from "react-i18next";
import type { MessageRef } from "../../../server/trpc/errors";

/** Why a file was refused, in the user's language (the server's English `reasons` when it sent no keys). */
export function useReasons() {
  const { t } = useTranslation("energy");
  const tr = t as unknown as (key: string, params?: Record<string, unknown>) => string;
  return (r: { reasons: string[]; reasonRefs?: MessageRef[] }) =>
    r.reasonRefs?.length ? r.reasonRefs.map((x) => tr(x.key, x.params)) : r.reasons;
}
