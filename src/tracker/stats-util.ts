/**
 * Median of the first `n` values of `a` (reorders that prefix in place). NaN when n = 0. Exact (the
 * same value as sorting): Hoare quickselect for the upper middle order statistic, then the largest
 * value below it for even n. O(n) on average, where a sort was O(n log n) — the tracker takes several
 * medians per box and frame.
 */
export function medianInPlace(a: Float64Array, n: number = a.length): number {
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = select(a, n, mid);
  if (n % 2 === 1) return upper;
  let lower = a[0];
  for (let i = 1; i < mid; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** Puts the k-th smallest of a[0..n) at index k, smaller-or-equal values before it; returns it. */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    // median of three as the pivot keeps sorted and reversed inputs linear
    const m = (lo + hi) >> 1;
    if (a[m] < a[lo]) swap(a, m, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[m]) swap(a, hi, m);
    const pivot = a[m];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
