/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): picks `threshold` of the points of a
 * series ordered by x so that its drawn shape is kept. Used for display only; every statistic
 * is computed on the full data. Pure module: the services downsample series before sending them to charts.
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number): number[] {
  const n = x.length;
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x[j];
      avgY += y[j];
    }
    const len = nextEnd - nextStart || 1;
    avgX /= len;
    avgY /= len;
    // The point of this bucket forming the largest triangle with the previous pick and that average.
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(n - 1);
  return out;
}

/** LTTB over points {x, y}, skipping points whose y is not finite. */
export function lttb<T extends { x: number; y: number }>(points: T[], threshold: number): T[] {
  const finite = points.filter((p) => Number.isFinite(p.y) && Number.isFinite(p.x));
  const idx = lttbIndices(
    finite.map((p) => p.x),
    finite.map((p) => p.y),
    threshold,
  );
  return idx.map((i) => finite[i]);
}
