// The "Introduced by" section: the commit the bisect found, with the repository's text escaped,
// or the reason there is none; withBisect puts both in the record and the PR body.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Run, type Bisect } from '../../../schemas/run.ts';
import { introducedBySection, withBisect } from '../../../src/repair/proposal/introduced-by.ts';

const sha = (c: string) => c.repeat(40);

const found: Bisect = {
  status: 'found',
  bad: sha('b'),
  good: { sha: sha('a'), source: 'release', release: 'shop@1.2' },
  firstBad: { sha: sha('c'), subject: 'price: **bold** <img src=x> for @octocat', author: 'Ann <ann@example.com>', date: '2026-11-01T10:00:00+00:00' },
  rangeSize: 4,
  stepBound: 2,
  steps: [
    { sha: sha('a'), role: 'endpoint', verdict: 'good', durationMs: 5 },
    { sha: sha('d'), role: 'bisect', verdict: 'bad', durationMs: 5 },
    { sha: sha('c'), role: 'bisect', verdict: 'bad', durationMs: 5 },
  ],
  durationMs: 15,
};

test('names the commit with its subject, author and date, escaped', () => {
  const section = introducedBySection(found);
  assert.match(section, /^## Introduced by\n\n`cccccccccccc` price: \\\*\\\*bold\\\*\\\* &lt;img src=x&gt; for @\u200boctocat, by Ann &lt;ann@\u200bexample\.com&gt; on 2026-11-01T10:00:00\+00:00\./);
  assert.match(section, /from release `shop@1\.2` \(`aaaaaaaaaaaa`\) to the incident's commit: 3 test runs \(2 bad, 1 good, 0 skipped\)/);
  assert.doesNotMatch(section, /<img/);
});

test('says why there is no answer, with what was left', () => {
  const section = introducedBySection({ status: 'inconclusive', reason: 'only skipped commits left', candidates: [sha('e'), sha('f')], steps: [{ sha: sha('e'), role: 'bisect', verdict: 'skip', reason: 'import error', durationMs: 1 }], durationMs: 1 });
  assert.match(section, /Not determined: only skipped commits left\./);
  assert.match(section, /Candidates left: `eeeeeeeeeeee`, `ffffffffffff`\./);
});

test('withBisect adds the record and appends the section to the proposal body', () => {
  const run = Run.parse({
    version: 1,
    id: 'run-x-1',
    incident: { id: 'inc_1', source: 'sentry' },
    repo: {},
    startedAt: '2026-11-01T10:00:00.000Z',
    status: 'not-fixed',
    reason: 'no candidate validated',
    reproduction: null,
    localization: null,
    candidates: [],
    proposal: null,
  });
  const withIt = Run.parse(withBisect(run, found));
  assert.equal(withIt.bisect?.firstBad?.sha, sha('c'));
  assert.equal(withIt.proposal, null);
  assert.equal(withBisect(run, undefined), run);
  const proposed = withBisect({ ...run, proposal: { candidateId: 'c1', title: 't', body: '## Evidence\n', diff: '', alternatives: [] } }, found);
  assert.match(proposed.proposal?.body ?? '', /^## Evidence\n\n## Introduced by\n/);
});
