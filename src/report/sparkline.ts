/** A unicode sparkline ("▁▂▅█"): one character per value, scaled to the largest. Pure. */
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function sparkline(values: readonly number[]): string {
  const max = values.reduce((a, b) => Math.max(a, b), 0);
  if (max === 0) return BARS[0]!.repeat(values.length);
  return values.map((v) => (v <= 0 ? BARS[0]! : BARS[Math.min(BARS.length - 1, Math.ceil((v / max) * (BARS.length - 1)))]!)).join('');
}
