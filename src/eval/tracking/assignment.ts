/** One (row, column) pair of an optimal assignment. */
export interface AssignedPair {
  readonly row: number;
  readonly col: number;
}

/**
 * Minimum-cost rectangular assignment (the Hungarian method with potentials, O(n²·m)), the same
 * problem as scipy's `linear_sum_assignment(cost)`: every row is paired with a distinct column when
 * rows ≤ columns (and the other way round otherwise), minimising the summed cost. `cost` is row-major,
 * `rows × cols`. Pairs come back sorted by row. Empty when either side is empty.
 */
export function linearSumAssignment(cost: ArrayLike<number>, rows: number, cols: number): AssignedPair[] {
  if (rows === 0 || cols === 0) return [];
  if (cost.length !== rows * cols) throw new RangeError(`linearSumAssignment: expected ${rows}×${cols} = ${rows * cols} costs, got ${cost.length}`);
  if (rows <= cols) return solve(cost, rows, cols, false);
  return solve(cost, cols, rows, true).sort((a, b) => a.row - b.row);
}

/** Solves n ≤ m; `transposed` reads cost[j][i] and swaps the result back. */
function solve(cost: ArrayLike<number>, n: number, m: number, transposed: boolean): AssignedPair[] {
  const at = transposed ? (i: number, j: number) => cost[j * n + i] : (i: number, j: number) => cost[i * m + j];
  // 1-based arrays as in the classic formulation: p[j] = row matched to column j (0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const out: AssignedPair[] = [];
  for (let j = 1; j <= m; j++) {
    if (p[j] === 0) continue;
    out.push(transposed ? { row: j - 1, col: p[j] - 1 } : { row: p[j] - 1, col: j - 1 });
  }
  return transposed ? out : out.sort((a, b) => a.row - b.row);
}

/**
 * Maximum-weight assignment: {@link linearSumAssignment} on the negated weights (scipy
 * `linear_sum_assignment(-weights)`), as TrackEval matches boxes.
 */
export function maxWeightAssignment(weights: ArrayLike<number>, rows: number, cols: number): AssignedPair[] {
  const neg = new Float64Array(rows * cols);
  for (let k = 0; k < neg.length; k++) neg[k] = -weights[k];
  return linearSumAssignment(neg, rows, cols);
}
