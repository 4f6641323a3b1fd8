// One run on the incident page: reproduction (test code, signature match, N of N reruns),
// localization ranking, the patch as a diff with every validation gate, the alternatives, the LLM
// transcript summary, and the pull request with its review decisions once issue 14's publish step
// has recorded them.
import type { Candidate, Reproduction, Run } from '../../../schemas/run.ts';
import type { Publication } from '../../store/publication-store.ts';
import type { RunRow } from '../../store/run-store.ts';
import type { TranscriptSummary } from '../../store/run-files.ts';
import { html, safeHref, type Html } from '../html.ts';
import { pullRequestOf } from '../review-fields.ts';
import { diffView } from './diff-view.ts';
import { highlightBlock, languageOf } from './syntax.ts';
import { badge, duration, yesNo } from './format.ts';

export function reproductionView(repro: Reproduction | null): Html {
  if (!repro) return html`<p class="muted">Not reached yet: the reproduction is written when the reproduce stage finishes.</p>`;
  const sig = repro.signature;
  const signature = sig
    ? html`<dl class="kv"><dt>Error type</dt><dd><code>${sig.type}</code></dd><dt>Message (normalized)</dt><dd><code>${sig.normalizedMessage}</code></dd><dt>Crash frame</dt><dd>${
        sig.frame ? html`<code>${sig.frame.file}:${sig.frame.function}</code>` : html`<span class="muted">none</span>`
      }</dd></dl>`
    : html`<p class="muted">The bundle has no exception to sign.</p>`;
  if (repro.status !== 'reproduced') {
    return html`<p>${badge('not-reproduced')} ${repro.reason}</p>${signature}<h4>Attempts</h4>${attemptsView(repro)}`;
  }
  const winning = repro.attempts.find((a) => a.outcome === 'reproduced');
  const runs = winning?.runs ?? [];
  const matched = runs.filter((r) => r.match).length;
  return html`<p>${badge('reproduced')} <strong>Signature matched in ${matched} of ${runs.length || repro.runs} reruns</strong> (${repro.source}, ${repro.framework}).</p>
${signature}
<p>Test <code>${repro.testId}</code>${repro.testFile ? html` in <code>${repro.testFile}</code>` : ''}</p>
${repro.testContent ? html`<pre class="code test-code"><code>${highlightBlock(repro.testContent, languageOf(repro.testFile ?? undefined)).map((line, i) => html`${i ? '\n' : ''}${line}`)}</code></pre>` : html`<p class="muted">An existing test of the repository.</p>`}
<details><summary>All ${repro.attempts.length} attempts</summary>${attemptsView(repro)}</details>`;
}

function attemptsView(repro: Reproduction): Html {
  if (repro.attempts.length === 0) return html`<p class="muted">No attempt was made.</p>`;
  return html`<ol class="attempts">${repro.attempts.map(
    (a) => html`<li>${badge(a.outcome === 'reproduced' ? 'reproduced' : a.outcome === 'skipped' ? 'not-fixed' : 'rejected', a.outcome)} ${a.strategy}${
      a.frame ? html` · frame ${a.frame.index} <code>${a.frame.function}</code>` : ''
    }${a.reason ? html` — ${a.reason}` : ''}${a.runs.length ? html` · ${a.runs.filter((r) => r.match).length}/${a.runs.length} runs matched` : ''}</li>`,
  )}</ol>`;
}

export function localizationView(run: Run | null): Html {
  const loc = run?.localization;
  if (!loc) return html`<p class="muted">No localization for this run.</p>`;
  if (loc.ranking.length === 0) return html`<p class="muted">No suspicious location was found.</p>`;
  return html`<div class="table-wrap"><table><caption class="visually-hidden">Suspicious locations, most suspicious first</caption>
<thead><tr><th scope="col">#</th><th scope="col">Location</th><th scope="col">Score</th><th scope="col">Why</th></tr></thead>
<tbody>${loc.ranking.slice(0, 15).map(
    (l, i) => html`<tr><td class="num">${i + 1}</td><td><code>${l.file}:${l.line}</code>${l.function ? html` <span class="muted">${l.function}</span>` : ''}</td><td class="num">${l.score.toFixed(2)}</td><td>${l.reasons.join('; ')}</td></tr>`,
  )}</tbody></table></div>
${loc.spectrum.problems.length ? html`<p class="muted">Coverage: ${loc.spectrum.problems.join('; ')}</p>` : ''}`;
}

function checksView(candidate: Candidate): Html {
  if (candidate.checks.length === 0) return html`<p class="muted">No gate ran.</p>`;
  return html`<table class="gates"><caption>Validation gates</caption><thead><tr><th scope="col">Gate</th><th scope="col">Result</th><th scope="col">Detail</th></tr></thead>
<tbody>${candidate.checks.map((c) => html`<tr><th scope="row">${c.name}</th><td>${yesNo(c.ok)}</td><td><pre class="value">${c.detail ?? ''}</pre></td></tr>`)}</tbody></table>`;
}

export function patchView(run: Run | null): Html {
  if (!run) return html`<p class="muted">The repair stage has not finished.</p>`;
  const chosen = run.proposal ? run.candidates.find((c) => c.id === run.proposal?.candidateId) : undefined;
  if (!run.proposal || !chosen) {
    return html`<p>${badge(run.status)} ${run.reason ?? 'No validated patch.'}</p>${
      run.candidates.length ? html`<h4>Candidates tried</h4>${candidatesTable(run.candidates)}` : ''
    }`;
  }
  const alternatives = run.proposal.alternatives.map((id) => run.candidates.find((c) => c.id === id)).filter((c): c is Candidate => !!c);
  return html`<h4>${run.proposal.title}</h4>
<p>${chosen.description} · ${chosen.engine} · +${chosen.stats.added} −${chosen.stats.removed} in ${chosen.stats.files} file(s) · validated in ${duration(chosen.durationMs)}</p>
${diffView(run.proposal.diff, 'The proposed patch (unified diff)')}
${checksView(chosen)}
${chosen.preexistingFailures?.length ? html`<p class="muted">Tests that already failed before the patch (not blamed on it): ${chosen.preexistingFailures.join(', ')}</p>` : ''}
<h4>Alternatives</h4>
${alternatives.length ? alternatives.map((c) => html`<details><summary>${c.description} (${c.engine}, +${c.stats.added} −${c.stats.removed})</summary>${diffView(c.diff, `Alternative ${c.id}`)}${checksView(c)}</details>`) : html`<p class="muted">No other candidate validated.</p>`}
<details><summary>Every candidate (${run.candidates.length})</summary>${candidatesTable(run.candidates)}</details>`;
}

function candidatesTable(candidates: Candidate[]): Html {
  return html`<div class="table-wrap"><table><thead><tr><th scope="col">Candidate</th><th scope="col">Engine</th><th scope="col">Status</th><th scope="col">Why</th></tr></thead>
<tbody>${candidates.map((c) => html`<tr><td>${c.description}</td><td>${c.engine}</td><td>${badge(c.status)}</td><td>${c.reason ?? ''}</td></tr>`)}</tbody></table></div>`;
}

export function transcriptView(run: Run | null, transcript: TranscriptSummary | null): Html {
  if (run?.engine !== 'llm' && !transcript) return html``;
  if (!transcript) return html`<section class="card"><h3>LLM transcript</h3><p class="muted">The run used the LLM engine but left no transcript.</p></section>`;
  return html`<section class="card" aria-labelledby="h-transcript"><h3 id="h-transcript">LLM transcript</h3>
<dl class="kv"><dt>Model</dt><dd>${transcript.model}</dd><dt>Attempts</dt><dd>${transcript.attempts}</dd><dt>Turns</dt><dd>${transcript.turns}</dd>
<dt>Tool calls</dt><dd>${transcript.toolCalls}${transcript.failedToolCalls ? ` (${transcript.failedToolCalls} failed)` : ''}</dd>
<dt>Tokens</dt><dd>${transcript.promptTokens} prompt + ${transcript.completionTokens} completion</dd><dt>Cost</dt><dd>$${transcript.costUsd.toFixed(4)}</dd><dt>Stopped</dt><dd>${transcript.stopped}</dd></dl>
${transcript.notes.length ? html`<ul>${transcript.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}</section>`;
}

export function pullRequestView(row: RunRow, publication: Publication | null | undefined): Html {
  const pr = pullRequestOf(publication);
  if (!pr) {
    return row.record?.status === 'fixed'
      ? html`<p class="muted">No pull request yet: the proposal waits for publishing or approval.</p>`
      : html`<p class="muted">No pull request: this run has no validated proposal.</p>`;
  }
  const href = safeHref(pr.url);
  const label = pr.number !== undefined ? `#${pr.number}` : 'pull request';
  return html`<p>${pr.number !== undefined ? (href ? html`<a href="${href}" rel="noopener noreferrer">${label}</a> ` : html`${label} `) : ''}${badge(pr.state, pr.state)}${
    pr.branch ? html` · branch <code>${pr.branch}</code>` : ''
  }${pr.mergeCommitSha ? html` · merged as <code>${pr.mergeCommitSha.slice(0, 12)}</code>` : ''}</p>${pr.reason ? html`<p>${pr.reason}</p>` : ''}`;
}
