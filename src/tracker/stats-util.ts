/** Median of the first `n` values of `a` (sorts that prefix in place). NaN when n = 0. */
export function medianInPlace(a: Float64Array, n: number = a.length): number {
  if (n === 0) return Number.NaN;
  const v = a.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
