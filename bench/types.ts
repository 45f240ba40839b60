/** One measured figure; bench/run.ts prints them as a table and writes bench/results/latest.json. */
export interface BenchResult {
  /** Which benchmark (e.g. "sandbox: hubspot exports"). */
  readonly name: string;
  /** The figure measured, e.g. 23500. */
  readonly value: number;
  /** Its unit, e.g. "records/s", "ms", "MB". */
  readonly unit: string;
  /** The aim stated in the issue, when there is one, e.g. ">= 20000". */
  readonly target?: string;
  /** Anything a reader needs to interpret the figure (sizes, driver, profile). */
  readonly notes?: string;
}

/** A benchmark module exports `run`, which measures and returns its figures. */
export type BenchModule = { run(options: { quick: boolean }): Promise<BenchResult[]> };
