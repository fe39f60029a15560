/** The median of some figures (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Min and median of rounds: on a shared machine the min is the least disturbed round. */
export function summary(rounds: readonly number[]): { min: number; median: number } {
  return { min: Math.min(...rounds), median: median(rounds) };
}
