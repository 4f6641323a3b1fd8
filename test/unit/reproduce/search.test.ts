// The input search's order and its sources: request values under other names (coerced to the
// parameter's type), callers' locals, type boundaries, the repository's test literals; and the
// request line of an issue's text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bundle } from '../../../schemas/bundle.ts';
import { readIssueBody } from '../../../src/intake/github/issue-body.ts';
import { jsFixtureArguments, pyFixtureArguments } from '../../../src/reproduce/synthesize/fixtures.ts';
import { combinations, expectedKind, numberForRecordedText, searchCandidates, type SearchAdapter } from '../../../src/reproduce/synthesize/search.ts';
import { jsFromLocal, pythonFromJs, pythonFromLocal, type JsValue } from '../../../src/reproduce/values/locals.ts';
import { jsLiteral } from '../../../src/reproduce/values/js-literal.ts';
import { pythonRepr } from '../../../src/reproduce/values/python-render.ts';
import type { PyValue } from '../../../src/reproduce/values/python-value.ts';
import { fixtureBundle } from './helpers.ts';

const js: SearchAdapter<JsValue> = {
  fromLocal: (l, n) => jsFromLocal(l, n),
  fromJs: (v) => v,
  fill: { toLocal: (v) => v, absentMeansCut: true },
  kindOf: (v) => (v === null || v === undefined ? null : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'boolean' : 'object'),
  key: (v) => jsLiteral(v),
};
const py: SearchAdapter<PyValue> = {
  fromLocal: (l, n) => pythonFromLocal(l, n),
  fromJs: pythonFromJs,
  fill: { toLocal: (v) => pythonRepr(pythonFromJs(v)), absentMeansCut: false },
  kindOf: (v) => (v.t === 'none' ? null : v.t === 'int' ? 'integer' : v.t === 'float' ? 'number' : v.t === 'list' ? 'array' : v.t === 'str' ? 'string' : 'unknown'),
  key: (v) => pythonRepr(v),
};

async function bundleWith(request: { query?: string; body?: string }, callerLocals?: Record<string, unknown>): Promise<Bundle> {
  const b = structuredClone(await fixtureBundle('js-cart'));
  b.repro.request = { method: 'GET', path: '/orders', ...request, sources: ['alert'] };
  for (const f of b.exception.frames) delete f.locals;
  if (callerLocals) (b.exception.frames[1] as { locals?: unknown }).locals = callerLocals;
  b.trace.errorSpan = null;
  b.trace.ancestors = [];
  return b;
}

describe('input search', () => {
  it('reads the kind a parameter expects from its declared type, its default, then its name', () => {
    assert.equal(expectedKind({ name: 'x', type: 'number' }), 'number');
    assert.equal(expectedKind({ name: 'x', type: 'Optional[int]' }), 'integer');
    assert.equal(expectedKind({ name: 'x', type: 'list[float]' }), 'array');
    assert.equal(expectedKind({ name: 'x', type: 'Array<Order>' }), 'array');
    assert.equal(expectedKind({ name: 'x', type: 'string | undefined' }), 'string');
    assert.equal(expectedKind({ name: 'x', type: 'Record<string, number>' }), 'object');
    assert.equal(expectedKind({ name: 'x', defaultText: '20' }), 'number');
    assert.equal(expectedKind({ name: 'pageSize' }), 'number');
    assert.equal(expectedKind({ name: 'orders' }), 'array');
    assert.equal(expectedKind({ name: 'x' }), 'unknown');
  });

  it('tries the request first (another name, coerced), then callers, boundaries, and the tests last', async () => {
    const bundle = await bundleWith({ query: 'limit=0&sort=asc' }, { size: 5, label: "'x'" });
    const list = searchCandidates({ bundle, frameIndex: 0, param: { name: 'pageSize', type: 'number' }, adapter: js, fixtures: [2, 0] });
    assert.deepEqual(
      list.map((c) => [c.source.source, c.value]),
      [
        ['request', 0],
        ['caller-locals', 5],
        ['type-boundary', -1],
        ['type-boundary', Number.MAX_SAFE_INTEGER],
        ['type-boundary', Number.NaN],
        ['type-boundary', null],
        ['type-boundary', undefined],
        ['test-fixture', 2],
      ],
    );
    assert.ok(list.every((c) => c.source.searched === true));
    assert.equal(list[0]?.source.detail, 'query parameter "limit" of the failing request as number (0)');
    // "asc" is no number: not a candidate for a number parameter; the duplicate 0 is dropped.
    assert.ok(!list.some((c) => c.value === 'asc'));
  });

  it('a parameter of unknown type tries the request value as a number and as text', async () => {
    const bundle = await bundleWith({ query: 'limit=0' });
    const list = searchCandidates({ bundle, frameIndex: 0, param: { name: 'x' }, adapter: py, fixtures: [] });
    assert.deepEqual(list.slice(0, 3).map((c) => pythonRepr(c.value)), ['0', "'0'", 'None']);
  });

  it('orders combinations by the weakest evidence they use, then the sum of tiers, then depth', () => {
    const c = (tier: number, value: number) => ({ tier, value, source: { name: 'p', source: 'request' as const } });
    const combos = combinations([[c(2, 1), c(2, 2)], [c(0, 10), c(2, 20)]], 3);
    assert.deepEqual(combos.map((x) => x.map((y) => y.value)), [[1, 10], [2, 10], [1, 20]]);
    assert.deepEqual(combinations([[c(0, 1)], []], 5), []);
  });

  it('converts recorded request text only for a declared number type', () => {
    assert.equal(numberForRecordedText('0', { name: 'days', type: 'int' }), 0);
    assert.equal(numberForRecordedText('1.5', { name: 'days', type: 'int' }), undefined);
    assert.equal(numberForRecordedText('0', { name: 'days' }), undefined, 'a name is no declaration');
    assert.equal(numberForRecordedText('abc', { name: 'n', type: 'number' }), undefined);
  });
});

describe('values the repository tests pass', () => {
  it('JS: literal arguments by position, never evaluated', () => {
    const src = "paginate([{ id: 1 }, { id: 2 }], 2);\nlib.paginate([], -1);\npaginate(makeItems(), size);\n";
    assert.deepEqual(jsFixtureArguments(src, 't.test.js', 'paginate'), [[[{ id: 1 }, { id: 2 }], []], [2, -1]]);
  });

  it('Python: positional and keyword literal arguments, names and calls skipped', () => {
    const src = 'def test_x():\n    assert average_per_day([10.0, 20.0], 2) == 15.0\n    average_per_day(days=7, totals=[])\n    average_per_day(make(), n)\n';
    const got = pyFixtureArguments(src, 'average_per_day', ['totals', 'days']);
    assert.deepEqual(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.map(pythonRepr)])), { totals: ['[10.0, 20.0]', '[]'], days: ['2', '7'] });
  });
});

describe('the request line of an issue', () => {
  it('reads `GET /orders?limit=0` and its variants; ignores a method in running text', () => {
    assert.deepEqual(readIssueBody('Request: `GET /orders?limit=0`').request, { method: 'GET', url: '/orders?limit=0', query: 'limit=0' });
    assert.deepEqual(readIssueBody('- **Request:** post https://shop.example/carts/42 HTTP/1.1').request, { method: 'POST', url: 'https://shop.example/carts/42' });
    assert.deepEqual(readIssueBody('GET /reports/average?days=0').request, { method: 'GET', url: '/reports/average?days=0', query: 'days=0' });
    assert.equal(readIssueBody('When I GET /x it fails').request, undefined);
  });
});
