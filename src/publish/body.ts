// The PR's title, body and commit message from the run's proposal (pr.md). The body is cut safely
// under GitHub's 65,536-character limit, never inside an open code fence, with a link to the full
// evidence; it always ends with what tracefix needs to find the PR again (a hidden marker) and what
// links it to its source (`Fixes #N`, the Sentry issue).
import { stripControls } from '../repair/proposal/markdown.ts';

/** GitHub rejects longer bodies; this leaves room for the footer and multi-unit characters. */
export const BODY_LIMIT = 65_536;
const BODY_BUDGET = 60_000;

export interface IncidentLinks {
  /** The issue the incident came from (`issues.labeled`). */
  githubIssue?: { repo: string; number: number };
  sentry?: { shortId?: string; url?: string };
}

export interface BodyInput {
  incidentId: string;
  runId: string;
  /** pr.md without its title heading. */
  proposalBody: string;
  targetRepo: string;
  base: string;
  defaultBranch: string;
  links: IncidentLinks;
  /** Where a person sees the whole run (TRACEFIX_PUBLIC_URL), when the service is reachable. */
  evidenceUrl?: string;
  /** Set when the base head is not the incident's commit: what was re-validated there. */
  revalidatedOn?: { incidentCommit: string; baseSha: string };
}

export function incidentMarker(incidentId: string): string {
  return `<!-- tracefix:incident=${incidentId} -->`;
}

export function commentMarker(incidentId: string): string {
  return `<!-- tracefix:issue-comment=${incidentId} -->`;
}

/** pr.md → title and body: the first `# ` heading is the title. */
export function splitPrMarkdown(markdown: string): { title: string | undefined; body: string } {
  const m = /^# (.*)\n+/.exec(markdown);
  return m ? { title: m[1], body: markdown.slice(m[0].length) } : { title: undefined, body: markdown };
}

/** The first `max` characters of `text`, cut at a line end, with any open code fence closed. */
export function cutMarkdown(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let head = text.slice(0, max);
  const lineEnd = head.lastIndexOf('\n');
  if (lineEnd > max / 2) head = head.slice(0, lineEnd);
  // An unpaired fence line would turn the rest of the body (the footer too) into code.
  const fences = head.match(/^ {0,3}(`{3,}|~{3,})/gm) ?? [];
  let open: string | undefined;
  for (const f of fences) {
    const marker = f.trim();
    if (!open) open = marker;
    else if (marker[0] === open[0] && marker.length >= open.length) open = undefined;
  }
  return { text: open ? `${head}\n${open}\n` : head, cut: true };
}

function sourceLines(input: BodyInput): string[] {
  const lines: string[] = [];
  const issue = input.links.githubIssue;
  if (issue) {
    const ref = issue.repo.toLowerCase() === input.targetRepo.toLowerCase() ? `#${issue.number}` : `${issue.repo}#${issue.number}`;
    lines.push(`Fixes ${ref}`);
    if (input.base !== input.defaultBranch) {
      lines.push(`_GitHub closes ${ref} by itself only when a PR merges into the default branch (\`${input.defaultBranch}\`); this one targets \`${input.base}\`._`);
    }
  }
  const sentry = input.links.sentry;
  if (sentry && (sentry.shortId || sentry.url)) {
    const name = stripControls(sentry.shortId ?? 'Sentry issue').replace(/[[\]]/g, '');
    lines.push(`Sentry issue: ${sentry.url && /^https?:\/\//.test(sentry.url) ? `[${name}](${sentry.url.replace(/[()\s]/g, encodeURIComponent)})` : `\`${name}\``}`);
  }
  return lines;
}

export function pullRequestBody(input: BodyInput): string {
  const footer: string[] = [];
  const sources = sourceLines(input);
  if (sources.length) footer.push(sources.join('\n'));
  if (input.revalidatedOn) {
    footer.push(
      `Validated at the incident's commit \`${input.revalidatedOn.incidentCommit.slice(0, 12)}\` and re-validated on \`${input.base}\` at \`${input.revalidatedOn.baseSha.slice(0, 12)}\` (reproduction passes, suite passes, and without the patch the test fails with the incident's signature).`,
    );
  }
  const evidence = input.evidenceUrl ? `[the full evidence of run \`${input.runId}\`](${input.evidenceUrl})` : `the full evidence in run \`${input.runId}\` (result.json)`;
  footer.push(`<sub>Opened by tracefix for incident \`${input.incidentId}\`.</sub>\n${incidentMarker(input.incidentId)}`);
  const tail = `\n\n---\n${footer.join('\n\n')}\n`;
  const { text, cut } = cutMarkdown(input.proposalBody.trimEnd(), BODY_BUDGET - tail.length - 400);
  const note = cut ? `\n\n_The proposal was cut to fit GitHub's limit: see ${evidence}._` : input.evidenceUrl ? `\n\nSee ${evidence}.` : '';
  return `${text}${note}${tail}`;
}

/** One line, no control characters, capped: telemetry text must not add lines or trailers. */
function trailerValue(value: string, max = 200): string {
  const one = stripControls(value).replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

export function commitMessage(input: { title: string; incidentId: string; traceId: string | undefined; signature: string }): string {
  return [
    trailerValue(input.title, 120),
    '',
    `Tracefix-Incident: ${trailerValue(input.incidentId)}`,
    `Tracefix-Trace-Id: ${input.traceId ? trailerValue(input.traceId) : 'none recorded'}`,
    `Tracefix-Signature: ${trailerValue(input.signature)}`,
    '',
  ].join('\n');
}
