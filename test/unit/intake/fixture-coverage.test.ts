// Every payload in test/fixtures/{sentry,datadog,github} must be exercised by an intake test: a
// fixture added without a test fails here, and so does a test that stops reading its fixture.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { FIXTURES_DIR } from './support.ts';

const COVERED_BY: Record<string, string[]> = {
  'sentry/integration-event-alert-triggered.json': ['sentry-parse.test.ts', '../evidence/fingerprint.test.ts'],
  'sentry/integration-error-created.json': ['sentry-parse.test.ts', '../evidence/fingerprint.test.ts'],
  'sentry/integration-issue-created.json': ['sentry-parse.test.ts'],
  'sentry/integration-metric-alert-resolved.json': ['sentry-parse.test.ts'],
  'sentry/integration-seer-root-cause-completed.json': ['sentry-parse.test.ts'],
  'sentry/event-sample-python-modern.json': ['sentry-parse.test.ts'],
  'sentry/event-fragment-contexts-trace.json': ['sentry-parse.test.ts'],
  'sentry/event-fragment-stacktrace-frame-python.json': ['sentry-parse.test.ts'],
  'sentry/legacy-webhooks-plugin-event-js.json': ['sentry-legacy.test.ts'],
  'sentry/legacy-webhooks-plugin-sentry9-python-raven.json': ['sentry-legacy.test.ts'],
  'sentry/api-issue-latest-event.json': ['sentry-api.test.ts'],
  'datadog/webhook-captured-query-alert-monitor-triggered.json': ['datadog-parse.test.ts'],
  'github/issues-labeled.json': ['github-parse.test.ts'],
  'github/issues-labeled-with-organization.json': ['github-parse.test.ts'],
  'github/workflow_run-completed-success.json': ['github-parse.test.ts'],
  'github/workflow_run-completed-with-pull-requests.json': ['github-parse.test.ts'],
  'github/workflow_job-completed-failure.json': ['github-parse.test.ts'],
  'github/check_run-completed-failure.json': ['github-parse.test.ts'],
  'github/check_run-completed-success.json': ['github-parse.test.ts'],
};

describe('intake fixtures', () => {
  it('each fixture file is listed here', () => {
    const present = ['sentry', 'datadog', 'github'].flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, FIXTURES_DIR)).filter((name) => name.endsWith('.json')).map((name) => `${dir}/${name}`),
    );
    assert.deepEqual(present.sort(), Object.keys(COVERED_BY).sort());
  });

  it('each listed test reads its fixture', () => {
    for (const [file, tests] of Object.entries(COVERED_BY)) {
      for (const test of tests) {
        const source = readFileSync(new URL(test, import.meta.url), 'utf8');
        assert.ok(source.includes(`'${file}'`), `${test} does not read ${file}`);
      }
    }
  });
});
