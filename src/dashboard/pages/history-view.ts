// Where the failure came from and whether the fix held: the bisect result of a run ("introduced
// by" a commit, with the steps that found it, or why there is none; src/bisect/ writes it into
// result.json) and the recurrence watch of a merged fix (src/recurrence/: merged → verified, or
// regressed by a later alert from a release that contains the fix).
import type { Bisect } from '../../../schemas/run.ts';
import type { FixMergeRow } from '../../store/fix-merge-store.ts';
import { html, type Html } from '../html.ts';
import { badge, duration, time } from './format.ts';

const short = (sha: string) => sha.slice(0, 12);

const NO_COMMIT: Record<Exclude<Bisect['status'], 'found'>, string> = {
  'predates-range': 'The failure predates the searched range: the test fails with the signature even at the good end.',
  inconclusive: 'Inconclusive: commits that could not be tested leave several candidates.',
  exhausted: 'The time budget ran out before one commit was left.',
  'not-run': 'Bisect did not run.',
};

export function bisectView(bisect: Bisect | undefined): Html {
  if (!bisect) return html`<p class="muted">No bisect for this run: it runs after a fix is found, when enabled.</p>`;
  const range = bisect.good
    ? html`<p class="muted">Searched ${bisect.rangeSize ?? '?'} commit(s) from <code>${short(bisect.good.sha)}</code> (${
        bisect.good.source === 'release' ? html`release ${bisect.good.release ?? ''}` : 'history depth'
      }, good) to ${bisect.bad ? html`<code>${short(bisect.bad)}</code>` : 'the incident commit'} (bad) in ${bisect.steps.length} step(s)${
        bisect.stepBound !== undefined ? ` (at most ${bisect.stepBound} without skips)` : ''
      }, ${duration(bisect.durationMs)}.</p>`
    : '';
  const head =
    bisect.status === 'found' && bisect.firstBad
      ? html`<dl class="kv introduced-by"><dt>Introduced by</dt><dd><code title="${bisect.firstBad.sha}">${short(bisect.firstBad.sha)}</code> ${bisect.firstBad.subject}</dd>
<dt>Author</dt><dd>${bisect.firstBad.author}</dd><dt>Date</dt><dd>${time(bisect.firstBad.date)}</dd></dl>`
      : html`<p class="bisect-none">${NO_COMMIT[bisect.status === 'found' ? 'not-run' : bisect.status]}${bisect.reason ? html` ${bisect.reason}` : ''}</p>${
          bisect.candidates?.length ? html`<p>Candidates: ${bisect.candidates.map((c, i) => html`${i ? ', ' : ''}<code>${short(c)}</code>`)}</p>` : ''
        }`;
  const steps = bisect.steps.length
    ? html`<details><summary>Steps (${bisect.steps.length})</summary><div class="table-wrap"><table class="bisect-steps"><thead><tr><th scope="col">Commit</th><th scope="col">Role</th><th scope="col">Verdict</th><th scope="col">Why</th><th scope="col">Time</th></tr></thead>
<tbody>${bisect.steps.map(
        (s) => html`<tr><td><code>${short(s.sha)}</code></td><td>${s.role}</td><td>${badge(s.verdict === 'bad' ? 'regressed' : s.verdict === 'good' ? 'verified' : 'not-fixed', s.verdict)}</td><td>${s.reason ?? ''}</td><td class="num">${duration(s.durationMs)}</td></tr>`,
      )}</tbody></table></div></details>`
    : '';
  return html`${head}${range}${steps}`;
}

/** The incident's state after its fix merged: merged (watching), verified, or regressed. */
export function recurrenceView(status: string, watch: FixMergeRow | null, verifyDays: number): Html {
  if (!watch) {
    return html`<p class="muted">No fix merged yet: the watch starts when a tracefix PR is merged.</p>`;
  }
  const merged = html`Fix merged as <code>${short(watch.mergeSha)}</code> ${time(watch.mergedAt)}.`;
  if (watch.regressedAt) {
    return html`<p class="recurrence">${badge('regressed')} ${merged} The failure came back ${time(watch.regressedAt)} from a release that contains the fix${
      watch.regressionAlertId !== null ? html` (alert ${watch.regressionAlertId})` : ''
    }.</p>`;
  }
  if (watch.verifiedAt) {
    return html`<p class="recurrence">${badge('verified')} ${merged} Verified ${time(watch.verifiedAt)}: ${verifyDays} day(s) of traffic from a release with the fix and no recurrence.</p>`;
  }
  const traffic = watch.fixTrafficAt
    ? html`A release with the fix has served traffic since ${time(watch.fixTrafficAt)}; verified after ${verifyDays} day(s) without a recurrence.`
    : html`No traffic from a release with the fix yet.`;
  const old = watch.stillDeployed
    ? html` ${watch.stillDeployed} alert(s) since came from releases without the fix${watch.lastStillDeployedAt ? html` (last ${time(watch.lastStillDeployedAt)})` : ''}.`
    : '';
  return html`<p class="recurrence">${badge(status === 'merged' ? 'merged' : status)} ${merged} ${traffic}${old}</p>`;
}
