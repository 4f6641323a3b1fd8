// Failure details out of framework text. Frameworks that report expected/actual as data (jest's
// matcherResult, mocha's err) are used directly; otherwise these read the conventional messages of
// node:assert, jest/vitest expect, chai, pytest and unittest. Best effort: absent beats wrong.
import type { TestFailure } from '../../schemas/test-results.ts';

const LIMITS = { message: 16_384, stack: 65_536, value: 8192 } as const;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 20)}… [${text.length - max + 20} more]`;
}

/** The error class named at the start of `text` (`TypeError: x`, `AssertionError [ERR_ASSERTION]: x`). */
export function errorTypeOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /^\s*(?:E\s+)?((?:[A-Za-z_$][\w.$]*)?(?:Error|Exception|Failure|Interrupt|Exit))(?: \[[A-Z0-9_]+\])?(?::|$)/m.exec(text);
  return m?.[1];
}

const PATTERNS: { re: RegExp; actual: number; expected: number }[] = [
  // node:assert inspected error properties (in node:test reports).
  { re: /^\s*actual: (.+?),?\s*\n\s*expected: (.+?),?\s*$/m, actual: 1, expected: 2 },
  // jest expect: "Expected: 5\nReceived: 6".
  { re: /^\s*Expected(?: value)?: (.+)\n\s*Received(?: value)?: (.+)$/m, actual: 2, expected: 1 },
  // chai / vitest: "expected 6 to be 5", "expected [ 1 ] to deeply equal [ 2 ]".
  { re: /expected (.+?) to (?:be|equal|deeply equal|strictly equal|eql|deep equal) (.+?)(?: \/\/ .*)?$/m, actual: 1, expected: 2 },
  // pytest assertion rewriting: "assert 6.0 == 5".
  { re: /^(?:E\s+)?(?:AssertionError: )?assert (.+?) == (.+?)$/m, actual: 1, expected: 2 },
  // node:assert strictEqual message: "6 !== 5".
  { re: /^\s*(.+?) !== (.+?)\s*$/m, actual: 1, expected: 2 },
  // unittest assertEqual: "AssertionError: 6.0 != 5" (first argument is conventionally the actual).
  { re: /^(?:\w*Error: )?(.+?) != (.+?)$/m, actual: 1, expected: 2 },
];

export function expectedActualOf(text: string): { expected?: string; actual?: string } {
  for (const { re, actual, expected } of PATTERNS) {
    const m = re.exec(text);
    if (m?.[actual] !== undefined && m[expected] !== undefined) {
      return { actual: clip(m[actual].trim(), LIMITS.value), expected: clip(m[expected].trim(), LIMITS.value) };
    }
  }
  return {};
}

function render(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Builds a TestFailure; explicit fields win over what the text suggests. */
export function makeFailure(input: {
  message: string;
  type?: string | undefined;
  stack?: string | undefined;
  expected?: unknown;
  actual?: unknown;
}): TestFailure {
  const message = input.message.trim() || (input.stack ?? '').split('\n')[0] || 'failed';
  const guessed = expectedActualOf(`${message}\n${input.stack ?? ''}`);
  const expected = render(input.expected) ?? guessed.expected;
  const actual = render(input.actual) ?? guessed.actual;
  const type = input.type ?? errorTypeOf(input.stack) ?? errorTypeOf(message);
  return {
    message: clip(message, LIMITS.message),
    ...(type ? { type: clip(type, 256) } : {}),
    ...(input.stack ? { stack: clip(input.stack, LIMITS.stack) } : {}),
    ...(expected !== undefined ? { expected: clip(expected, LIMITS.value) } : {}),
    ...(actual !== undefined ? { actual: clip(actual, LIMITS.value) } : {}),
  };
}
