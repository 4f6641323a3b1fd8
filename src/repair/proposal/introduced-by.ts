// "Introduced by": the bisect's answer in the PR body, and the run record with it. The bisect runs
// after the proposal is written (it must not hold the fix back), so its section is appended to the
// body here. Subjects and author names come from the repository: escaped, never Markdown.
import type { Bisect, Run } from '../../../schemas/run.ts';
import { code, escapeText } from './markdown.ts';

const BODY_MAX = 65_536;

function stepsLine(bisect: Bisect): string {
  const count = (v: string) => bisect.steps.filter((s) => s.verdict === v).length;
  const n = bisect.steps.length;
  return `${n} test run${n === 1 ? '' : 's'} (${count('bad')} bad, ${count('good')} good, ${count('skip')} skipped)`;
}

function goodEnd(bisect: Bisect): string {
  const g = bisect.good;
  if (!g) return '';
  return g.source === 'release' && g.release ? `release ${code(g.release, 80)} (${code(g.sha.slice(0, 12))})` : `${code(g.sha.slice(0, 12))}, ${bisect.rangeSize ?? '?'} first-parent commits back`;
}

export function introducedBySection(bisect: Bisect): string {
  const lines = ['## Introduced by', ''];
  if (bisect.status === 'found' && bisect.firstBad) {
    const c = bisect.firstBad;
    lines.push(`${code(c.sha.slice(0, 12))} ${escapeText(c.subject)}, by ${escapeText(c.author)} on ${escapeText(c.date)}.`, '');
    lines.push(`Found by running the reproduction test at each step of a first-parent bisect from ${goodEnd(bisect)} to the incident's commit: ${stepsLine(bisect)}. It is the first commit at which the test fails with the incident's signature; the commit before it passes.`);
  } else {
    lines.push(`Not determined: ${escapeText(bisect.reason ?? bisect.status)}.`);
    if (bisect.steps.length > 0) lines.push('', `Bisect from ${goodEnd(bisect)}: ${stepsLine(bisect)}.`);
    if (bisect.candidates?.length) lines.push('', `Candidates left: ${bisect.candidates.slice(0, 10).map((s) => code(s.slice(0, 12))).join(', ')}${bisect.candidates.length > 10 ? ` and ${bisect.candidates.length - 10} more` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** The run with its bisect result, and the proposal's body with the "Introduced by" section. */
export function withBisect(run: Run, bisect: Bisect | undefined): Run {
  if (!bisect) return run;
  const proposal = run.proposal ? { ...run.proposal, body: appendSection(run.proposal.body, introducedBySection(bisect)) } : run.proposal;
  return { ...run, bisect, proposal };
}

function appendSection(body: string, section: string): string {
  const joined = `${body}${body.endsWith('\n') ? '' : '\n'}\n${section}`;
  return joined.length <= BODY_MAX ? joined : body;
}
