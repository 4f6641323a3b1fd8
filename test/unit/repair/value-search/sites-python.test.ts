// The value search's Python sites (templates/python/tf_sites.py through the helper, on the host:
// it only parses) and the instrumented file, which must still compile.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { hostExec, runPythonHelper } from '../../../../src/repair/templates/python.ts';
import { instrument } from '../../../../src/repair/value-search/probe.ts';
import type { ProbeSite } from '../../../../src/repair/value-search/types.ts';

const SOURCE = [
  'class Fees:',
  '    def late(self, days_late, grace_days):',
  '        if days_late <= 3:',
  '            return 0',
  '        total = (days_late - grace_days) * 2',
  '        return total',
  '',
  'LIMIT = 3 > 2',
  '',
].join('\n');

async function sites(lines: number[]): Promise<ProbeSite[]> {
  const answer = (await runPythonHelper(hostExec, { mode: 'sites', source: SOURCE, lines })) as { sites: Omit<ProbeSite, 'file'>[] };
  return answer.sites.map((s) => ({ ...s, file: 'billing/fees.py' }));
}

describe('Python value-search sites', () => {
  it('finds conditions and assigned values inside functions, with the function\'s literals', async () => {
    const found = await sites([3, 5, 8]);
    assert.deepEqual(found.map((s) => [s.line, s.kind, s.text]), [[3, 'condition', 'days_late <= 3'], [5, 'value', '(days_late - grace_days) * 2']]);
    assert.deepEqual(found[0]!.constants, [3, 0, 2]);
  });

  it('instruments a method\'s condition into a module that compiles (no name mangling of the probe)', async () => {
    const [site] = await sites([3]);
    const text = instrument(SOURCE, site!, 'python');
    assert.match(text, /if _tracefix_probe\('c', lambda: \(days_late <= 3\), locals\(\)\):/);
    execFileSync('python3', ['-c', 'import sys; compile(sys.stdin.read(), "fees.py", "exec")'], { input: text });
  });
});
