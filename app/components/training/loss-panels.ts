/**
 * How the combined loss chart splits its lines so every panel keeps a readable scale: lines whose
 * values are all positive share a log-scale panel; a line that touches zero or goes negative
 * (DeepHPM's adaptive training objective) goes to its own linear panel instead of forcing every
 * line onto a flat linear axis. Pure, so it is unit-tested without a browser.
 */
export interface LossLine {
  name: string;
  values: number[];
}

export interface LossPanel {
  scale: "log" | "linear";
  names: string[];
}

export function lossPanels(lines: LossLine[]): LossPanel[] {
  const positive = (l: LossLine) => l.values.every((v) => v > 0);
  const logNames = lines.filter(positive).map((l) => l.name);
  const linearNames = lines.filter((l) => !positive(l)).map((l) => l.name);
  return [
    ...(logNames.length ? [{ scale: "log" as const, names: logNames }] : []),
    ...(linearNames.length ? [{ scale: "linear" as const, names: linearNames }] : []),
  ];
}
