/** Exact optimal discounted returns of the toy chain by backward induction over (t, position, cool-down). */
import { TOY_ACTIONS, TOY_REWARDS, ToyChainEnv } from '../../../src/controller/learn/toy-env.js';

/** V*(start) for each start position, discount γ. */
export function toyOptimalValues(length: number, horizon: number, gamma: number): number[] {
  // V[t][pos][cool]: value with t steps taken
  let next = Array.from({ length }, () => [0, 0]); // t = horizon: nothing left
  for (let t = horizon - 1; t >= 0; t--) {
    const cur = Array.from({ length }, () => [0, 0]);
    for (let pos = 0; pos < length - 1; pos++) {
      for (const cool of [0, 1]) {
        let best = -Infinity;
        for (const a of [TOY_ACTIONS.stay, TOY_ACTIONS.right, TOY_ACTIONS.leap]) {
          if (a === TOY_ACTIONS.leap && !ToyChainEnv.leapAllowed(pos, cool === 1, length)) continue;
          const p = a === TOY_ACTIONS.stay ? pos : Math.min(length - 1, pos + (a === TOY_ACTIONS.leap ? 2 : 1));
          const goal = p === length - 1;
          const r = (a === TOY_ACTIONS.stay ? TOY_REWARDS.stay : TOY_REWARDS.move) + (goal ? TOY_REWARDS.goal : 0);
          const v = r + (goal || t + 1 >= horizon ? 0 : gamma * next[p][a === TOY_ACTIONS.leap ? 1 : 0]);
          best = Math.max(best, v);
        }
        cur[pos][cool] = best;
      }
    }
    next = cur;
  }
  return next.map((v) => v[0]);
}
