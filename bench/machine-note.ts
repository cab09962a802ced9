/**
 * How loaded the machine was while a benchmark ran, measured rather than written by hand:
 * the 1-minute load average at the start (this module's import) and at the end, on a
 * machine with `os.cpus().length` cores, plus BENCH_NOTE when the person running it adds
 * context (e.g. "nice'd while a build ran").
 */
import os from "node:os";

const loadAtStart = os.loadavg()[0];

export function loadNote(): string {
  const cores = os.cpus().length;
  const end = os.loadavg()[0];
  const parts = [
    `${cores} cores; 1-min load average ${loadAtStart.toFixed(1)} at the start, ${end.toFixed(1)} at the end`,
  ];
  if (process.env.BENCH_NOTE) parts.push(process.env.BENCH_NOTE);
  return parts.join("; ");
}
