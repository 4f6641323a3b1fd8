// The contract of a function, read from its own text, and candidate patches judged against it:
// the three failure classes of plausible-but-wrong fixes (a guard value the doc contradicts, a
// fallback that discards input whose format the doc names, a guessed value), selection by
// agreement, and the confidence a proposal states.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Candidate, Proposal, type Reproduction } from '../../../schemas/run.ts';
import { RepoConfigFile } from '../../../schemas/repo-config.ts';
import { confidenceOf, contractOf, functionAt, judgePatch, meetsConfidence } from '../../../src/repair/intent/index.ts';
import { contractRejection } from '../../../src/repair/intent/gate.ts';
import { selectCandidate } from '../../../src/repair/select.ts';

const AVG_PY = `def average_order_value(orders: list[dict]) -> float:
    """Average order total.

    Returns 0.0 when there are no orders.

    >>> average_order_value([{"total": 4}, {"total": 6}])
    5.0
    """
    if orders is None:
        return 0.0
    return sum(o["total"] for o in orders) / len(orders)
`;
const guard = (value: string) => AVG_PY.replace('    return sum(', `    if not orders:\n        return ${value}\n    return sum(`);

const DUE_JS = `/**
 * The due date as YYYY-MM-DD.
 * @param {string} raw an ISO 8601 date
 * @returns {string}
 */
export function formatDueDate(raw) {
  const due = new Date(raw);
  return due.toISOString().slice(0, 10);
}
`;

const TAGS_TS = `/** Normalizes tags; returns the list unchanged when it holds no string. */
export function normalizeTags(tags: unknown[]): unknown[] {
  if (tags.length === 0) return [];
  return tags.map((t) => String(t).trim());
}
`;

const judgeOne = (file: string, before: string, after: string) => judgePatch(new Map([[file, after]]), new Map([[file, before]]));

describe('the contract of a function', () => {
  it('reads the docstring, doctest examples, the declared return type and the other returns (Python)', () => {
    const fn = functionAt(AVG_PY, 'app/reports.py', 11);
    assert.ok(fn);
    const c = contractOf(fn);
    assert.equal(c.function, 'average_order_value');
    assert.deepEqual(c.documented.map((d) => d.value), ['0.0']);
    assert.equal(c.declaredReturn, 'float');
    assert.deepEqual(c.examples, [{ call: 'average_order_value([{"total": 4}, {"total": 6}])', expected: '5.0' }]);
    assert.deepEqual(c.returns, ['0.0', 'sum(o["total"] for o in orders) / len(orders)']);
  });

  it('reads JSDoc: formats, "unchanged", @returns type (JS/TS)', () => {
    const due = contractOf(functionAt(DUE_JS, 'src/dates.js', 7)!);
    assert.deepEqual(due.formats, ['ISO 8601', 'YYYY-MM-DD']);
    assert.equal(due.declaredReturn, 'string');
    const tags = contractOf(functionAt(TAGS_TS, 'src/tags.ts', 3)!);
    assert.match(tags.unchanged ?? '', /^unchanged when it holds no string/);
    assert.equal(tags.declaredReturn, 'unknown[]');
    assert.deepEqual(tags.params, ['tags']);
  });
});

describe('candidates judged against the contract', () => {
  it('a guard returning the int 0 where the doc says 0.0 contradicts it; 0.0 is implied; None disagrees', () => {
    const int = judgeOne('app/reports.py', AVG_PY, guard('0'));
    assert.equal(int?.agreement, 'contradicts');
    assert.match(int?.reasons[0] ?? '', /the doc says "Returns 0\.0 when there are no orders": 0\.0 is a float, the patch returns 0, an int/);
    assert.equal(judgeOne('app/reports.py', AVG_PY, guard('0.0'))?.agreement, 'implied');
    const none = judgeOne('app/reports.py', AVG_PY, guard('None'));
    assert.equal(none?.agreement, 'disagrees');
  });

  it('null from a function whose declared type does not admit it contradicts the contract; a nullable type admits it', () => {
    // examples/catalog-ts stock-missing-await: the null guard passed the suite and returned null for every request.
    const stock = `export async function totalStock(sku: string): Promise<{ sku: string; available: number }> {\n  let available = 0;\n  for (const level of levels(sku)) {\n    available += level.units.available;\n  }\n  return { sku, available };\n}\n`;
    const guarded = stock.replace('  for (const level of levels(sku)) {\n', '  for (const level of levels(sku)) {\n    if (level.units == null) return null;\n');
    const judged = judgeOne('src/stock.ts', stock, guarded);
    assert.equal(judged?.agreement, 'contradicts');
    assert.match(judged?.reasons[0] ?? '', /does not admit null/);
    const nullable = stock.replace('Promise<{ sku: string; available: number }>', 'Promise<{ sku: string; available: number } | null>');
    assert.notEqual(judgeOne('src/stock.ts', nullable, guarded.replace('Promise<{ sku: string; available: number }>', 'Promise<{ sku: string; available: number } | null>'))?.agreement, 'contradicts');
  });

  it('a fallback that discards input in the format the doc names contradicts it; parsing that format does not', () => {
    const discard = DUE_JS.replace('  return due.toISOString', "  if (Number.isNaN(due.getTime())) return 'unknown';\n  return due.toISOString");
    const j = judgeOne('src/dates.js', DUE_JS, discard);
    assert.equal(j?.agreement, 'contradicts');
    assert.match(j?.reasons[0] ?? '', /names the input format ISO 8601, YYYY-MM-DD; the patch falls back to 'unknown' and discards the input/);
    const parse = DUE_JS.replace('  const due = new Date(raw);', '  const due = new Date(raw);\n  if (Number.isNaN(due.getTime())) return new Date(Date.parse(raw.trim())).toISOString().slice(0, 10);');
    assert.notEqual(judgeOne('src/dates.js', DUE_JS, parse)?.agreement, 'contradicts');
  });

  it('"unchanged" wants the input back, not a literal', () => {
    const literal = TAGS_TS.replace('  return tags.map', '  if (!tags.some((t) => typeof t === "string")) return [];\n  return tags.map');
    assert.equal(judgeOne('src/tags.ts', TAGS_TS, literal)?.agreement, 'contradicts');
    const input = TAGS_TS.replace('  return tags.map', '  if (!tags.some((t) => typeof t === "string")) return tags;\n  return tags.map');
    assert.equal(judgeOne('src/tags.ts', TAGS_TS, input)?.agreement, 'implied');
  });

  it('a value the other returns already return is consistent; one nothing names is a guess; no value at all is no-value', () => {
    const src = 'export function price(item) {\n  if (!item) return 0;\n  return item.price * item.qty;\n}\n';
    const zero = src.replace('  return item.price', '  if (item.qty == null) return 0;\n  return item.price');
    assert.equal(judgeOne('src/p.js', src, zero)?.agreement, 'consistent');
    const guess = src.replace('  return item.price', '  if (item.qty == null) return -1;\n  return item.price');
    const g = judgeOne('src/p.js', src, guess);
    assert.equal(g?.agreement, 'silent');
    assert.match(g?.reasons[0] ?? '', /names -1: the value is a guess/);
    assert.equal(judgeOne('src/p.js', src, src.replace('item.price * item.qty', 'item.price + item.qty'))?.agreement, 'no-value');
  });
});

function candidate(id: string, intent?: Candidate['intent'], extra: Partial<Candidate> = {}): Candidate {
  return Candidate.parse({
    id,
    engine: 'templates',
    description: id,
    diff: `--- a/x\n+++ b/x\n+${id}\n`,
    stats: { files: 1, added: 1, removed: 0 },
    status: 'validated',
    checks: [{ name: 'sensitivity', ok: true }],
    durationMs: 1,
    ...(intent ? { intent } : {}),
    ...extra,
  });
}

const reproduced = (searched: boolean): Reproduction => ({
  status: 'reproduced',
  source: 'synthesized',
  framework: 'pytest',
  testId: 't',
  signature: { type: 'ZeroDivisionError', message: 'division by zero', normalizedMessage: 'division by zero', frame: null },
  runs: 3,
  attempts: [{ n: 1, strategy: 'frame-call', outcome: 'reproduced', runs: [], arguments: [{ name: 'orders', source: searched ? 'type-boundary' : 'locals', ...(searched ? { searched: true } : {}) }] }],
});

describe('selection and confidence', () => {
  it('selection prefers the candidate the contract implies over a smaller guessed one', () => {
    const guessed = candidate('a-small', { agreement: 'silent', reasons: ['guess'], values: ['-1'] });
    const implied = candidate('b-implied-but-longer', { agreement: 'implied', reasons: ['the doc says'], values: ['0.0'] }, { stats: { files: 1, added: 3, removed: 0 } });
    assert.equal(selectCandidate([guessed, implied])?.chosen.id, 'b-implied-but-longer');
  });

  it('high needs the contract and preservation evidence; a guess is low; searched inputs cap at medium', () => {
    const implied = candidate('x', { agreement: 'implied', reasons: ['the doc says "Returns 0.0 when there are no orders"'], values: ['0.0'] });
    const noPreservation = confidenceOf({ candidate: implied, reproduction: reproduced(false) });
    assert.equal(noPreservation.level, 'medium');
    assert.ok(noPreservation.reasons.some((r) => /not compared/.test(r)));
    assert.equal(confidenceOf({ candidate: implied, reproduction: reproduced(false), preservation: { inputs: 120, changedOutsideFailure: 0 } }).level, 'high');
    const searched = confidenceOf({ candidate: implied, reproduction: reproduced(true), preservation: { inputs: 120, changedOutsideFailure: 0 } });
    assert.equal(searched.level, 'medium');
    assert.ok(searched.reasons.some((r) => /inputs orders were searched/.test(r)));
    const guess = confidenceOf({ candidate: candidate('y', { agreement: 'silent', reasons: ['nothing names -1'], values: ['-1'] }), reproduction: reproduced(false) });
    assert.equal(guess.level, 'low');
    assert.match(guess.reasons[0] ?? '', /^a value was guessed/);
    assert.ok(meetsConfidence('high', 'medium') && !meetsConfidence('low', 'medium'));
  });

  it('a contract rejection is a rejected candidate record with its reason, never run', () => {
    const after = guard('0');
    const rec = contractRejection(
      { id: 'empty-guard-1', engine: 'templates', description: 'guard', files: new Map([['app/reports.py', after]]), locationScore: 1 },
      { intent: judgeOne('app/reports.py', AVG_PY, after)!, originals: new Map([['app/reports.py', AVG_PY]]) },
    );
    Candidate.parse(rec);
    assert.equal(rec.status, 'rejected');
    assert.match(rec.reason ?? '', /^contradicts the function's contract: average_order_value: the doc says/);
    assert.deepEqual(rec.stats, { files: 1, added: 2, removed: 0 });
    assert.equal(rec.checks[0]?.name, 'contract');
  });

  it('publish.minConfidence is declared in .tracefix.yml and a proposal carries its confidence', () => {
    assert.deepEqual(RepoConfigFile.parse({ publish: { minConfidence: 'medium' } }).publish, { minConfidence: 'medium' });
    assert.throws(() => RepoConfigFile.parse({ publish: { minConfidence: 'sure' } }), /expected high, medium or low/);
    Proposal.parse({ candidateId: 'x', title: 't', body: 'b', diff: '', alternatives: [], confidence: { level: 'low', reasons: ['a value was guessed'] } });
  });
});
