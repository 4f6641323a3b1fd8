// A merged fix's pull request is told when the failure came back from a release that contains the
// fix (the recurrence watch, src/recurrence/): one comment per regression alert, with that alert's
// evidence (release, commit, time, event, the top frame). The alert is telemetry, so
// attacker-controlled: every value goes into an inert code span, and a link only when it is http(s).
// A hidden marker names the incident and the alert: a retried post finds its comment and stops.
import type { Alert } from '../../schemas/alert.ts';
import { code, escapeText } from '../repair/proposal/markdown.ts';
import { githubStep } from './errors.ts';
import type { GithubClient } from './github-client.ts';

const ISSUES = 'issues: write';

export function regressionMarker(incidentId: string, alertId: number): string {
  return `<!-- tracefix:regression=${incidentId}:${alertId} -->`;
}

export interface RegressionEvidence {
  incidentId: string;
  /** The alert that came back (its row id in the alerts table). */
  alertId: number;
  /** The fix's merge commit, which the alert's release contains. */
  mergeSha: string;
  alert: Partial<Pick<Alert, 'release' | 'commitSha' | 'errorType' | 'message' | 'frames' | 'link' | 'sourceRefs' | 'deliveryId' | 'source'>>;
  receivedAt: string;
  /** The commit the alert's release ran (the release's sha, its commitSha, or TRACEFIX_RELEASE_COMMITS). */
  commit?: string;
  /** The incident's page on the dashboard (TRACEFIX_PUBLIC_URL), when the service is reachable. */
  incidentUrl?: string;
}

/** The crash site: the last in-app frame (frames are caller → callee), else the last frame. */
function topFrame(frames: Alert['frames'] | undefined): string | undefined {
  if (!frames?.length) return undefined;
  const frame = [...frames].reverse().find((f) => f.inApp) ?? frames[frames.length - 1]!;
  const where = frame.file ?? frame.absPath ?? frame.module;
  if (!where && !frame.function) return undefined;
  return `${where ?? '?'}${frame.line !== undefined ? `:${frame.line}` : ''}${frame.function ? ` in ${frame.function}` : ''}`;
}

function httpLink(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url) || url.length > 2048) return undefined;
  return url.replace(/[()<>[\]]/g, encodeURIComponent);
}

export function regressionCommentBody(e: RegressionEvidence): string {
  const a = e.alert;
  const eventId = a.sourceRefs?.event_id ?? a.deliveryId;
  const link = httpLink(a.link);
  const frame = topFrame(a.frames);
  const rows: [string, string][] = [
    ['Release', a.release ? code(a.release) : '_not reported_'],
    ['Commit', e.commit ? code(e.commit) : '_not reported_'],
    ['Received', code(e.receivedAt)],
    ['Event', `${eventId ? code(eventId) : '_no id_'}${a.source ? ` (${escapeText(a.source)})` : ''}${link ? ` · [open the event](${link})` : ''}`],
    ['Error', code(`${a.errorType ?? 'Error'}${a.message ? `: ${a.message}` : ''}`, 300)],
    ['Top frame', frame ? code(frame, 300) : '_no frames_'],
  ];
  const incident = e.incidentUrl ? ` ([incident](${httpLink(`${e.incidentUrl}`) ?? ''}))` : '';
  return [
    `**The failure came back despite this fix.** An alert with the same fingerprint came from a release that contains the merge commit ${code(e.mergeSha.slice(0, 12))}.`,
    `tracefix marked the incident ${code(e.incidentId)} \`regressed\`${incident} and started a new run from this alert's evidence.`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
    '',
    regressionMarker(e.incidentId, e.alertId),
    '',
  ].join('\n');
}

/**
 * Posts the regression comment on the PR unless it is there already (the marker). Returns the
 * comment's id and whether this call created it.
 */
export async function commentRegression(gh: GithubClient, pr: { owner: string; repo: string; number: number }, evidence: RegressionEvidence): Promise<{ id: number; created: boolean }> {
  const full = `${pr.owner}/${pr.repo}`;
  const marker = regressionMarker(evidence.incidentId, evidence.alertId);
  const comments = await githubStep(full, 'read the pull request comments', ISSUES, () =>
    gh.paginate(gh.rest.issues.listComments, { owner: pr.owner, repo: pr.repo, issue_number: pr.number, per_page: 100 }),
  );
  const mine = comments.find((c) => (c.body ?? '').includes(marker));
  if (mine) return { id: mine.id, created: false };
  const created = await githubStep(full, 'comment on the pull request', ISSUES, () =>
    gh.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body: regressionCommentBody(evidence) }),
  );
  return { id: created.data.id, created: true };
}
