import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { istanbulLines } from '../../../src/runners/coverage/istanbul.ts';
import { alignSource, executedLines, type V8Function } from '../../../src/runners/coverage/v8.ts';

// Line:  1            2                            3                        4                 5   6                7
const SOURCE = [
  '// discount',
  'export function f(p, c) {',
  "  if (c === 'HALF') {",
  '    return p / 2 + 1;',
  '  }',
  '  return p;',
  '}',
  '',
].join('\n');

const at = (text: string) => SOURCE.indexOf(text);

function cov(branchTaken: boolean): V8Function[] {
  const fStart = at('export function');
  const blockStart = at("{\n    return p / 2");
  const blockEnd = at('  return p;') - 1;
  return [
    { functionName: '', ranges: [{ startOffset: 0, endOffset: SOURCE.length, count: 1 }] },
    {
      functionName: 'f',
      ranges: [
        { startOffset: fStart, endOffset: SOURCE.length - 1, count: 1 },
        branchTaken
          ? { startOffset: blockEnd, endOffset: SOURCE.length - 1, count: 0 }
          : { startOffset: blockStart, endOffset: blockEnd, count: 0 },
      ],
    },
  ];
}

describe('V8 coverage → lines', () => {
  it('subtracts nested count-0 blocks and skips comments and lone brackets', () => {
    assert.deepEqual([...executedLines(SOURCE, cov(false))!].sort(), [2, 3, 6]);
    assert.deepEqual([...executedLines(SOURCE, cov(true))!].sort(), [2, 3, 4]);
  });

  it('counts nothing outside any executed range', () => {
    const uncalled: V8Function[] = [
      { functionName: '', ranges: [{ startOffset: 0, endOffset: SOURCE.length, count: 1 }] },
      { functionName: 'f', ranges: [{ startOffset: at('export function'), endOffset: SOURCE.length - 1, count: 0 }] },
    ];
    assert.deepEqual([...executedLines(SOURCE, uncalled)!], []);
  });

  it('refuses coverage whose script length does not match the file (transpiled code)', () => {
    const wrapped: V8Function[] = [{ functionName: '', ranges: [{ startOffset: 0, endOffset: SOURCE.length + 120, count: 1 }] }];
    assert.equal(executedLines(SOURCE, wrapped), undefined);
  });

  it('accepts type stripping\'s appended sourceURL and a stripped byte-order mark', () => {
    const url = 'file:///workspace/src/f.ts';
    const stripped: V8Function[] = [{ functionName: '', ranges: [{ startOffset: 0, endOffset: SOURCE.length + `\n\n//# sourceURL=${url}`.length, count: 1 }] }];
    assert.ok(alignSource(SOURCE, stripped, url)?.startsWith(SOURCE));
    assert.equal(alignSource(SOURCE, stripped, 'file:///other.ts'), undefined);
    assert.equal(alignSource(`\uFEFF${SOURCE}`, cov(false)), SOURCE);
  });
});

describe('istanbul coverage → lines', () => {
  it('takes the start line of every executed statement', () => {
    const json = JSON.stringify({
      '/workspace/src/f.js': {
        path: '/workspace/src/f.js',
        statementMap: { '0': { start: { line: 3, column: 2 }, end: { line: 5, column: 3 } }, '1': { start: { line: 4, column: 4 } }, '2': { start: { line: 6, column: 2 } } },
        s: { '0': 1, '1': 1, '2': 0 },
        fnMap: {},
        f: {},
      },
    });
    assert.deepEqual([...istanbulLines(json).get('/workspace/src/f.js')!].sort(), [3, 4]);
  });
});
