/**
 * Named error for invalid input anywhere in edgetrack. The message always names what was wrong
 * (field, file, expected vs got); `info` carries the same facts for programs.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  /** Machine-readable details: where the problem is, what was expected, what was found. */
  readonly info: Readonly<Record<string, unknown>>;

  constructor(message: string, info: Record<string, unknown> = {}) {
    super(message);
    this.info = Object.freeze({ ...info });
  }
}

/** Short, printable description of a value for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `array(${value.length})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Uint8Array).length})`;
  return typeof value;
}

/** Throws a ValidationError unless `value` is a finite number. */
export function requireFinite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(`${field}: expected a finite number, got ${describeValue(value)}`, { field, value });
  }
  return value;
}

/** Throws a ValidationError unless `value` is an integer ≥ `min`. */
export function requireInteger(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValidationError(`${field}: expected an integer ≥ ${min}, got ${describeValue(value)}`, { field, value, min });
  }
  return value;
}

/** Throws a ValidationError unless `value` lies in [min, max]. */
export function requireInRange(value: unknown, field: string, min: number, max: number): number {
  const n = requireFinite(value, field);
  if (n < min || n > max) {
    throw new ValidationError(`${field}: expected a number in [${min}, ${max}], got ${n}`, { field, value, min, max });
  }
  return n;
}
