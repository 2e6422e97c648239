/** One line of the `npm run bench` table: a figure, the baseline measured in the same run, their ratio. */
export interface BenchRow {
  /** What was measured, e.g. "listening match, 1,000 queries". */
  name: string;
  /** Which engine or variant, e.g. "sqlite", "memory", "-". */
  engine: string;
  figure: number;
  baseline: number;
  unit: string;
  /** What the baseline is, e.g. "one combined RegExp". */
  baselineName: string;
  /** figure / baseline, oriented so that > 1 means better than the baseline. */
  ratio: number;
  /** The target for this figure, and whether this run met it. */
  target?: { text: string; pass: boolean };
}

export interface BenchOptions {
  /** Scale factor for sizes: 1 = the defaults (finish in minutes on 2 cores), smaller for smoke runs. */
  scale: number;
  log(line: string): void;
}
