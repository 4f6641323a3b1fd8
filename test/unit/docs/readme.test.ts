// The README is a promise: its configuration table and Datadog template must match the code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { INCIDENT_STATUSES } from '../../../schemas/incident-status.ts';
import { CONFIG_KEYS } from '../../../src/config.ts';
import {
  DATADOG_RECOMMENDED_APM_MONITOR_BLOCK,
  DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK,
  DATADOG_RECOMMENDED_PAYLOAD,
} from '../../../src/intake/datadog/template.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('every configuration variable is documented in the README table', () => {
  const missing = CONFIG_KEYS.filter((key) => !readme.includes(`| \`${key}\` |`));
  assert.deepEqual(missing, []);
});

test('the README shows the Datadog templates the parser understands', () => {
  for (const block of [DATADOG_RECOMMENDED_PAYLOAD, DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK, DATADOG_RECOMMENDED_APM_MONITOR_BLOCK]) {
    assert.ok(readme.includes(block), block.slice(0, 60));
  }
});

test('the README states the two fresh-machine commands that package.json backs', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  // The quick start: install, build the sandbox images, start (issue 20: the images step was missing).
  assert.match(readme, /```sh\nnpm ci[^\n]*\nnpx tracefix images build[^\n]*\nnpm start[^\n]*\n```/);
  assert.match(readme, /npm ci && npm test/);
  assert.match(pkg.scripts.start, /src\/cli\/main\.ts serve/);
  assert.ok(pkg.scripts.test.includes('--test'));
});

test('the README has one table of incident states, with every status the API accepts', () => {
  const section = readme.slice(readme.indexOf('### Incident states'));
  const table = section.slice(section.indexOf('| status |'), section.indexOf('\n\n', section.indexOf('| status |')));
  const rows = table.split('\n').slice(2).map((row) => /^\| `([a-z-]+)` \|/.exec(row)?.[1]);
  assert.deepEqual(rows, [...INCIDENT_STATUSES]);
  assert.match(table, /`regressed` \|.*\| the recurrence watch \|/);
  assert.match(table, /`verified` \|.*\| the recurrence watch \|/);
  assert.equal(readme.split('| status | meaning |').length, 2, 'one table only');
});

test('a new user can follow the README: EBADENGINE explained, the command for process managers, how repositories are found', () => {
  assert.match(readme, /EBADENGINE[\s\S]{0,400}harmless/);
  assert.match(readme, /`node src\/cli\/main\.ts serve`/);
  assert.match(readme, /TRACEFIX_SENTRY_PROJECT_REPOS='\{"checkout-web":"acme\/checkout"\}'/);
  assert.match(readme, /commit unknown; repaired at\s+HEAD of main/);
  assert.match(readme, /npx tracefix retry --config-failures/);
});
