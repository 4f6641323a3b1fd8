// `tracefix bundle` offline, as a user runs it on exported files.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Bundle } from '../../schemas/bundle.ts';
import { runCli } from '../helpers/cli.ts';

const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tracefix-bundle-cli-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a Sentry event plus an OTLP trace export become one valid, redacted bundle', async (t) => {
  const dir = await tempDir(t);
  const out = path.join(dir, 'bundle.json');
  const { code, output } = await runCli(
    ['bundle', '--sentry', fixture('sentry/event-sample-python-modern.json'), '--otlp-traces', fixture('otlp/opentelemetry-proto-examples-trace.json'), '--otlp-logs', fixture('otlp/opentelemetry-proto-examples-logs.json'), '-o', out],
    { TRACEFIX_DATA_DIR: dir },
  );
  assert.equal(code, 0, output);
  assert.match(output, /bundle [0-9a-f]{64}: \d+ tokens/);
  const bundle = Bundle.parse(JSON.parse(await fs.readFile(out, 'utf8')));
  assert.ok(bundle.exception.frames.length > 0);
  assert.ok(bundle.budget.tokensAfter <= bundle.budget.limit);
});

test('OTLP files alone: the error span is the alert', async (t) => {
  const dir = await tempDir(t);
  // The captured browser span records an exception event but leaves status unset; an error span
  // (status 2) with that event is what an instrumented service exports on a failure.
  const capture = JSON.parse(await fs.readFile(fixture('otlp/vaadin-observability-kit-browser-span-with-exception-event.json'), 'utf8'));
  const unset = path.join(dir, 'unset.json');
  await fs.writeFile(unset, JSON.stringify(capture));
  const none = await runCli(['bundle', '--otlp-traces', unset, '-o', path.join(dir, 'none.json')], { TRACEFIX_DATA_DIR: dir });
  assert.equal(none.code, 2);
  assert.match(none.output, /no alert in the given files/);

  for (const rs of capture.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) span.status = { code: 2 };
  const errored = path.join(dir, 'error.json');
  await fs.writeFile(errored, JSON.stringify(capture));
  const out = path.join(dir, 'bundle.json');
  const { code, output } = await runCli(['bundle', '--otlp-traces', errored, '-o', out], { TRACEFIX_DATA_DIR: dir });
  assert.equal(code, 0, output);
  const bundle = Bundle.parse(JSON.parse(await fs.readFile(out, 'utf8')));
  assert.equal(bundle.incident.source, 'otlp');
  assert.ok(bundle.trace.errorSpan, 'the error span is kept');
});

test('a file that is not what its flag says exits 2 naming the file and the problem', async (t) => {
  const dir = await tempDir(t);
  const notJson = path.join(dir, 'notes.txt');
  await fs.writeFile(notJson, 'hello');
  const out = ['-o', path.join(dir, 'x.json')];
  const event = fixture('sentry/event-sample-python-modern.json');
  const cases: [string[], RegExp][] = [
    [['--sentry', notJson, ...out], /--sentry .*notes\.txt: not JSON/],
    [['--sentry', fixture('otlp/opentelemetry-proto-examples-trace.json'), ...out], /--sentry .*: not a Sentry event/],
    [['--github-issue', event, ...out], /--github-issue .*: not a GitHub issues webhook payload/],
    [['--otlp-traces', event, ...out], /--otlp-traces .*event-sample-python-modern\.json: not an OTLP export/],
    [['--otlp-logs', fixture('otlp/opentelemetry-proto-examples-trace.json'), ...out], /--otlp-logs .*: not an OTLP export \(no "resourceLogs"/],
    [['--otlp-traces', path.join(dir, 'missing.json'), ...out], /--otlp-traces .*missing\.json: cannot read the file \(ENOENT\)/],
    [['--sentry', event], /-o <file> is required/],
    [['--frobnicate', ...out], /Unknown option '--frobnicate'/],
  ];
  for (const [args, pattern] of cases) {
    const { code, output } = await runCli(['bundle', ...args], { TRACEFIX_DATA_DIR: dir });
    assert.equal(code, 2, `${args.join(' ')}: ${output}`);
    assert.match(output, pattern);
  }
  const notRepo = await runCli(['bundle', '--repo', dir, '--sentry', fixture('sentry/event-sample-python-modern.json'), '-o', path.join(dir, 'x.json')], { TRACEFIX_DATA_DIR: dir });
  assert.equal(notRepo.code, 2);
  assert.match(notRepo.output, /--repo .*: not a git repository/);
});
