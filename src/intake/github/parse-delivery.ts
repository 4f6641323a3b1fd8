// A verified GitHub delivery → IntakeOutcome. A person asks tracefix to look at a bug by adding
// the configured label to an issue (`issues` / `labeled`, payload `label` = the label just
// added). Everything else (ping, other events, other actions or labels) is recorded as ignored.
// Whether the sender may trigger work is a separate check (sender-trust.ts).
import { z } from 'zod';
import { parseErrorHeadline } from '../../evidence/stack-text.ts';
import { header, type Delivery, type IntakeOutcome } from '../types.ts';
import { finalizeAlert } from '../common/finalize-alert.ts';
import { badPayload, bodyDigestId, parseJsonBody, parseWith } from '../common/payload.ts';
import { readIssueBody } from './issue-body.ts';

const Action = z.object({ action: z.string().nullish() });

const IssuesLabeled = z.object({
  action: z.string(),
  label: z.object({ name: z.string() }).nullish(),
  issue: z.object({
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullish(),
    html_url: z.string().nullish(),
    state: z.string().nullish(),
    labels: z.array(z.object({ name: z.string() }).nullable()).nullish(),
  }),
  repository: z.object({ full_name: z.string() }),
  sender: z.object({ login: z.string() }).nullish(),
});

export interface GithubParseOptions {
  /** config.github.label: the label that asks tracefix to act. */
  label: string;
}

export function githubDeliveryId(delivery: Delivery): string {
  return header(delivery, 'x-github-delivery')?.trim() || bodyDigestId(delivery.raw);
}

export function parseGithubDelivery(delivery: Delivery, options: GithubParseOptions): IntakeOutcome {
  const event = header(delivery, 'x-github-event')?.trim();
  if (!event) {
    throw badPayload('Missing X-GitHub-Event header', [{ path: 'headers.x-github-event', message: 'required on GitHub webhooks' }]);
  }
  const deliveryId = githubDeliveryId(delivery);
  const body = parseJsonBody(delivery.raw);
  const action = parseWith(Action, body, 'GitHub webhook body').action;
  const name = action ? `${event}.${action}` : event;
  const ignored = (reason: string): IntakeOutcome => ({ kind: 'ignored', source: 'github', deliveryId, event: name, reason });

  if (event === 'ping') return ignored('ping: the webhook is set up');
  if (event === 'pull_request') return ignored('pull_request: recorded on the publication of a tracefix PR (src/publish/)');
  if (event !== 'issues') return ignored(`"${event}" events are not handled by the GitHub issue intake`);
  if (action !== 'labeled') return ignored(`issues ${action ?? '(no action)'}: only "labeled" starts tracefix`);

  const payload = parseWith(IssuesLabeled, body, 'GitHub issues.labeled body');
  const label = payload.label?.name;
  if (!label || label.toLowerCase() !== options.label.toLowerCase()) {
    return ignored(`label "${label ?? ''}" is not "${options.label}"`);
  }
  if (payload.issue.state === 'closed') return ignored('the issue is closed');

  const { issue, repository, sender } = payload;
  const facts = readIssueBody(issue.body ?? '');
  const raised = facts.exceptions.at(-1);
  const fromTitle = parseErrorHeadline(issue.title);
  // The pasted stack names the error; without one, an error-shaped title ("TypeError: …") does.
  const errorType = raised && (raised.type !== 'Error' || raised.message || !fromTitle) ? raised.type : (fromTitle?.type ?? 'Error');
  const message = raised?.message || fromTitle?.message || issue.title;
  const labels = (issue.labels ?? []).flatMap((l) => (l ? [l.name] : []));
  const refs: Record<string, string> = { issue_number: String(issue.number), repo: repository.full_name };
  if (sender?.login) refs.sender = sender.login;

  const alert = finalizeAlert({
    source: 'github',
    deliveryId,
    receivedAt: delivery.receivedAt.toISOString(),
    kind: 'issues.labeled',
    title: issue.title,
    errorType,
    message,
    exceptions: facts.exceptions.length > 0 ? facts.exceptions : [{ type: errorType, message, frames: [] }],
    frames: raised?.frames ?? [],
    traceId: facts.traceId,
    spanId: facts.spanId,
    release: facts.release,
    commitSha: facts.commitSha,
    environment: facts.environment,
    service: facts.service,
    repoHint: repository.full_name,
    ...(facts.request ? { request: facts.request } : {}),
    tags: labels.length > 0 ? { labels: labels.join(',') } : {},
    link: issue.html_url ?? undefined,
    sourceRefs: refs,
  });
  return { kind: 'alert', alert };
}
