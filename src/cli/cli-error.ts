import { InvalidArgumentError } from 'commander';

/** A bad flag value or argument found after parsing: the CLI prints the message and exits with code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * Commander argument parser for an integer flag ≥ `min`. A bad value makes commander print
 * "option '--x <n>' argument 'abc' is invalid. expected an integer ≥ 1" and the CLI exit with code 2.
 */
export function parseIntFlag(min = 0, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(max === Number.MAX_SAFE_INTEGER ? `expected an integer ≥ ${min}` : `expected an integer in [${min}, ${max}]`);
    }
    return n;
  };
}

/** Commander argument parser for a finite number in [min, max]. */
export function parseNumberFlag(min = -Infinity, max = Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number in [${min}, ${max}]`);
    }
    return n;
  };
}
