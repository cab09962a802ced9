import { Badge, Table, Text } from "@mantine/core";
import { ENERGY_MODEL_LABELS, type TrainChoice } from "../../../server/services/energy/models-schema";

export interface AutoCandidate {
  kind: string;
  status: string;
  valMase: number | null;
  trainSeconds: number | null;
  error?: string;
  chosen: boolean;
}

const n = (v: number | null | undefined, d = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d);

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
  return (
    <div data-testid="auto-candidates">
      <Text size="sm" mb={4}>
        Auto #{versionId}: candidates scored on the validation part (never the held-out tail); the lowest validation
        MASE is kept, seasonal naive when nothing beats it.
        {calibration &&
          ` Its 10–90 % band was calibrated there on ${calibration.n} points: coverage ${(calibration.coverageBefore * 100).toFixed(1)} % → ${(calibration.coverageAfter * 100).toFixed(1)} %.`}
      </Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Candidate</Table.Th>
            <Table.Th>Validation MASE</Table.Th>
            <Table.Th>Training (s)</Table.Th>
            <Table.Th>Status</Table.Th>
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
                {ENERGY_MODEL_LABELS[c.kind as TrainChoice] ?? c.kind}{" "}
                {c.chosen && (
                  <Badge color="green" variant="light">
                    chosen
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{n(c.valMase)}</Table.Td>
              <Table.Td>{n(c.trainSeconds, 1)}</Table.Td>
              <Table.Td>
                {c.status}
                {c.error ? `: ${c.error}` : ""}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
