// `tracefix bundle`: assembles an evidence bundle offline from exported files, through the same
// assembler the service runs.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Alert } from '../../schemas/alert.ts';
import type { ReproTest } from '../../schemas/bundle.ts';
import { assembleOfflineBundle } from '../assemble/offline-bundle.ts';
import { loadConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { alertsFromLogs, alertsFromSpans } from '../intake/otlp/alerts.ts';
import { alertFromFailingTest } from '../reproduce/alert-from-test.ts';
import { readGithubIssue, readOtlpLogs, readOtlpTraces, readSentry, repoHead } from './bundle-inputs.ts';

const USAGE = `Usage: tracefix bundle [--sentry <event.json>] [--github-issue <payload.json>]
                       [--otlp-traces <file>] [--otlp-logs <file>] [--repo <path>] -o <bundle.json|->
       tracefix bundle --from-test <test id|test file|command> --repo <path> [--sandbox docker|local]
                       [--otlp-traces <file>] [--otlp-logs <file>] -o <bundle.json|->

Assembles the evidence bundle of one failure from exported files: a Sentry event or webhook
delivery, a GitHub issues payload, OTLP trace and log exports (JSON or protobuf). Without a Sentry
or GitHub file, the error spans and exception logs of the OTLP files are the alert. --repo names
the repository (its HEAD is the commit when the alert names none). --from-test runs a failing
test of the repository's HEAD in the sandbox instead and records its failure as the incident
(source ci); the test itself becomes the reproduction. Exit 2 for bad input.
`;

export async function bundle(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        sentry: { type: 'string' },
        'github-issue': { type: 'string' },
        'otlp-traces': { type: 'string' },
        'otlp-logs': { type: 'string' },
        repo: { type: 'string' },
        'from-test': { type: 'string' },
        sandbox: { type: 'string' },
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.out) throw new UsageError(`-o <file> is required\n\n${USAGE}`);
  const fromTest = values['from-test'];
  if (!fromTest && !values.sentry && !values['github-issue'] && !values['otlp-traces'] && !values['otlp-logs']) {
    throw new UsageError(`give at least one of --sentry, --github-issue, --otlp-traces, --otlp-logs, --from-test\n\n${USAGE}`);
  }
  if (fromTest && (values.sentry || values['github-issue'])) throw new UsageError('--from-test is the alert: it cannot be combined with --sentry or --github-issue');
  if (fromTest && !values.repo) throw new UsageError(`--from-test needs --repo <path>\n\n${USAGE}`);
  if (values.sandbox !== undefined && values.sandbox !== 'docker' && values.sandbox !== 'local') {
    throw new UsageError(`--sandbox must be docker or local, got ${JSON.stringify(values.sandbox)}`);
  }
  const config = loadConfig();

  const alerts: Alert[] = [];
  let reproTest: ReproTest | undefined;
  if (fromTest) {
    const { dir } = repoHead(values.repo!);
    const driver = values.sandbox as 'docker' | 'local' | undefined;
    const recorded = await alertFromFailingTest({ config, repoDir: dir, test: fromTest, ...(driver ? { driver } : {}) });
    alerts.push(recorded.alert);
    reproTest = recorded.reproTest;
  }
  if (values.sentry) alerts.push(await readSentry(values.sentry));
  if (values['github-issue']) alerts.push(await readGithubIssue(values['github-issue']));
  const spans = values['otlp-traces'] ? await readOtlpTraces(values['otlp-traces']) : [];
  const logs = values['otlp-logs'] ? await readOtlpLogs(values['otlp-logs']) : [];
  if (alerts.length === 0 && !fromTest) {
    const everything = { enabled: true, services: [], routes: [] };
    alerts.push(...alertsFromSpans(spans, everything), ...alertsFromLogs(logs, everything, { spans }));
  }
  if (alerts.length === 0) throw new UsageError('no alert in the given files: no Sentry event, GitHub issue, error span or exception log');
  const result = await assembleOfflineBundle({
    config,
    alerts,
    spans,
    logs,
    ...(reproTest ? { reproTest } : {}),
    ...(values.repo ? { repo: repoHead(values.repo) } : {}),
  });
  if (values.out === '-') process.stdout.write(`${result.canonicalJson}\n`);
  else await fs.writeFile(values.out, `${result.canonicalJson}\n`);
  process.stderr.write(
    `bundle ${result.sha256}: ${result.bundle.budget.tokensAfter} tokens, ${spans.length} spans, ${logs.length} log records${values.out === '-' ? '' : ` → ${values.out}`}\n`,
  );
  return 0;
}
