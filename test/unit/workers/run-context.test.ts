// Which stage failures the queue retries, and where a run's repository comes from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import type { Bundle } from '../../../schemas/bundle.ts';
import { loadConfig } from '../../../src/config.ts';
import { InstallError } from '../../../src/install/index.ts';
import { RepoConfigError, WorkspaceError } from '../../../src/workspace/index.ts';
import { AppError } from '../../../src/errors.ts';
import { resolveEngines } from '../../../src/run/engines.ts';
import { classify, ConfigurationFailure, repoOf } from '../../../workers/run-context.ts';

test('a bad .tracefix.yml ends the job at once; infrastructure errors stay retryable', () => {
  const config = classify(new RepoConfigError(['.tracefix.yml: flakeReruns: expected a whole number, 0 or more']));
  assert.ok(config instanceof UnrecoverableError);
  assert.match(config.message, /flakeReruns/);
  const docker = classify(new Error('connect ENOENT /var/run/docker.sock'));
  assert.ok(!(docker instanceof UnrecoverableError), 'a Docker outage is retried with backoff');
  const git = classify(new WorkspaceError('git fetch failed: Could not resolve host'));
  assert.ok(!(git instanceof UnrecoverableError), 'a git transport failure is retried');
  const refused = classify(new InstallError('package-lock.json: node_modules/x is a git dependency'));
  assert.ok(refused instanceof UnrecoverableError, 'a refused lockfile will not change by retrying');
  assert.match(refused.message, /^dependency install failed before the baseline: package-lock\.json/);
  const offline = classify(new InstallError('npm could not fetch the dependencies', 'ECONNRESET', { permanent: false }));
  assert.ok(!(offline instanceof UnrecoverableError), 'a registry that did not answer is retried');
  const already = new UnrecoverableError('no bundle');
  assert.equal(classify(already), already);
});

function bundleWith(repo: Partial<Bundle['repo']>, service?: string, source: Bundle['incident']['source'] = 'otlp'): Bundle {
  return { incident: { source }, repo: { repoSource: 'none', commitSource: 'none', ...repo }, environment: service ? { service: { name: service } } : {} } as Bundle;
}

test('the repository: the bundle URL, an owner/name on GitHub (with the token for https), or a clear error', () => {
  const config = loadConfig({ TRACEFIX_GITHUB_TOKEN: 'ghp_example_token_value_0000000000000000' });
  assert.deepEqual(repoOf(config, bundleWith({ url: '/srv/git/shop.git' })), { url: '/srv/git/shop.git' });
  assert.deepEqual(repoOf(config, bundleWith({ name: 'acme/shop' })), { url: 'https://github.com/acme/shop.git', token: 'ghp_example_token_value_0000000000000000' });
  const enterprise = loadConfig({ TRACEFIX_GITHUB_API_URL: 'https://ghe.example.com/api/v3' });
  assert.equal(repoOf(enterprise, bundleWith({ name: 'acme/shop' })).url, 'https://ghe.example.com/acme/shop.git');
  assert.throws(() => repoOf(config, bundleWith({}, 'checkout')), (e: Error) => e instanceof UnrecoverableError && /service checkout: map it in TRACEFIX_SERVICE_REPOS/.test(e.message));
});

test('configuration failures name what to set: the repository map, the sandbox images, the model', async () => {
  const config = loadConfig({});
  assert.throws(() => repoOf(config, bundleWith({}, 'checkout')), (e: Error) => e instanceof ConfigurationFailure && e.fix === 'TRACEFIX_SERVICE_REPOS');
  assert.throws(
    () => repoOf(config, bundleWith({}, undefined, 'sentry')),
    (e: Error) => e instanceof ConfigurationFailure && /service \(unknown\): map it in TRACEFIX_SERVICE_REPOS \(or its Sentry project in TRACEFIX_SENTRY_PROJECT_REPOS\)/.test(e.message),
  );
  const image = classify(new AppError('TF_SANDBOX_IMAGE', 'sandbox image tracefix/sandbox-node:abc not found; build it with `tracefix images build`'));
  assert.ok(image instanceof ConfigurationFailure);
  assert.equal(image.fix, 'npx tracefix images build');
  assert.match(image.message, /^sandbox image tracefix\/sandbox-node:abc not found: build the sandbox images with `npx tracefix images build`$/);
  // What the engine registry throws for `--engine llm` without a model.
  const unavailable = await resolveEngines('llm', config).then(() => undefined, (error: unknown) => error);
  const model = classify(unavailable);
  assert.ok(model instanceof ConfigurationFailure && model.fix === 'TRACEFIX_MODEL');
  assert.match(model.message, /^--engine llm needs a model: set OPENAI_BASE_URL and TRACEFIX_MODEL/);
});
