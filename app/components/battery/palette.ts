/** Colours for per-cell series (Mantine colour names, cycled). */
export const CELL_COLORS = [
  "blue.6",
  "red.6",
  "teal.6",
  "grape.6",
  "orange.6",
  "cyan.7",
  "lime.7",
  "pink.6",
  "indigo.6",
  "yellow.7",
  "violet.6",
  "green.7",
];

export function cellColor(i: number): string {
  return CELL_COLORS[i % CELL_COLORS.length];
}

/** Diverging scale for correlations: −1 blue, 0 white, +1 red. */
export function divergingColor(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return "#e9ecef";
  const t = Math.max(-1, Math.min(1, v));
  const [r, g, b] =
    t >= 0
      ? [255, Math.round(255 - 180 * t), Math.round(255 - 190 * t)]
      : [Math.round(255 + 200 * t), Math.round(255 + 120 * t), 255];
  return `rgb(${r}, ${g}, ${b})`;
}

export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(digits)).toString();
}
