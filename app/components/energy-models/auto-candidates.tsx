import { Badge, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { TRAIN_CHOICES, type TrainChoice } from "../../../server/services/energy/models-schema";

export interface AutoCandidate {
  kind: string;
  status: string;
  valMase: number | null;
  trainSeconds: number | null;
  error?: string;
  chosen: boolean;
}

/** Auto's stored candidate statuses (English, with the version) and their catalog keys. */
const STATUS_KEYS = {
  trained: "auto.candidateStatus.trained",
  "stopped at the budget": "auto.candidateStatus.stopped",
  "skipped: no budget left": "auto.candidateStatus.skipped",
  failed: "auto.candidateStatus.failed",
} as const;

/** What Auto tried for a version: each candidate's validation MASE (the part before the held-out tail), the one kept. */
export function AutoCandidates({
  versionId,
  candidates,
  calibration,
}: {
  versionId: number;
  candidates: AutoCandidate[];
  calibration?: { coverageBefore: number; coverageAfter: number; n: number } | null;
}) {
  const { t } = useTranslation("forecast");
  const { n: fmt } = useFormat();
  const n = (v: number | null | undefined, d = 3) => fmt(v, { minimumFractionDigits: d, maximumFractionDigits: d });
  const pct = (v: number) => fmt(v, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const status = (s: string) => (s in STATUS_KEYS ? t(STATUS_KEYS[s as keyof typeof STATUS_KEYS]) : s);
  const kind = (k: string) => ((TRAIN_CHOICES as readonly string[]).includes(k) ? t(`kinds.${k as TrainChoice}`) : k);
  return (
    <div data-testid="auto-candidates">
      <Text size="sm" mb={4}>
        {t("auto.intro", { id: versionId })}
        {calibration &&
          t("auto.calibrated", {
            n: fmt(calibration.n),
            before: pct(calibration.coverageBefore),
            after: pct(calibration.coverageAfter),
          })}
      </Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("auto.candidate")}</Table.Th>
            <Table.Th>{t("auto.valMase")}</Table.Th>
            <Table.Th>{t("auto.training")}</Table.Th>
            <Table.Th>{t("auto.status")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {candidates.map((c) => (
            <Table.Tr
              key={c.kind}
              data-testid="auto-candidate"
              data-kind={c.kind}
              data-chosen={c.chosen ? "yes" : "no"}
            >
              <Table.Td>
                {kind(c.kind)}{" "}
                {c.chosen && (
                  <Badge color="green" variant="light">
                    {t("auto.chosen")}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{n(c.valMase)}</Table.Td>
              <Table.Td>{n(c.trainSeconds, 1)}</Table.Td>
              <Table.Td>
                {status(c.status)}
                {c.error ? `: ${c.error}` : ""}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
