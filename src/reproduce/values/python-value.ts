// Python values as a reproduction can rebuild them from production's `repr` text. Only data a
// test can construct without running production code: literals, and a few standard-library
// constructors whose repr is their own constructor call (Decimal, datetime, UUID).

export type PyValue =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bytes'; v: number[] }
  | { t: 'list'; items: PyValue[] }
  | { t: 'tuple'; items: PyValue[] }
  | { t: 'set'; items: PyValue[] }
  | { t: 'dict'; entries: [PyValue, PyValue][] }
  /** A whitelisted constructor call with literal arguments: `Decimal('9.99')`. */
  | { t: 'call'; callee: PyCallee; args: PyValue[]; kwargs: [string, PyValue][] }
  /** A whitelisted constant name: `datetime.timezone.utc`. */
  | { t: 'const'; name: PyConstant };

/** Constructors whose repr is a call a test may replay, and the import each needs. */
export const PY_CALLEES = {
  Decimal: 'from decimal import Decimal',
  'decimal.Decimal': 'import decimal',
  'datetime.date': 'import datetime',
  'datetime.datetime': 'import datetime',
  'datetime.time': 'import datetime',
  'datetime.timedelta': 'import datetime',
  UUID: 'from uuid import UUID',
  'uuid.UUID': 'import uuid',
} as const;
export type PyCallee = keyof typeof PY_CALLEES;

export const PY_CONSTANTS = { 'datetime.timezone.utc': 'import datetime' } as const;
export type PyConstant = keyof typeof PY_CONSTANTS;

/** Imports a value's source needs, sorted and de-duplicated. */
export function importsOf(value: PyValue, into: Set<string> = new Set()): Set<string> {
  switch (value.t) {
    case 'list':
    case 'tuple':
    case 'set':
      for (const item of value.items) importsOf(item, into);
      break;
    case 'dict':
      for (const [k, v] of value.entries) {
        importsOf(k, into);
        importsOf(v, into);
      }
      break;
    case 'call':
      into.add(PY_CALLEES[value.callee]);
      for (const a of value.args) importsOf(a, into);
      for (const [, v] of value.kwargs) importsOf(v, into);
      break;
    case 'const':
      into.add(PY_CONSTANTS[value.name]);
      break;
    default:
      break;
  }
  return into;
}
