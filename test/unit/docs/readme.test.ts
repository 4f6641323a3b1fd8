// The README is a promise: its configuration table and Datadog template must match the code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
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
  assert.match(readme, /npm ci && npm start/);
  assert.match(readme, /npm ci && npm test/);
  assert.match(pkg.scripts.start, /src\/cli\/main\.ts serve/);
  assert.ok(pkg.scripts.test.includes('--test'));
});
