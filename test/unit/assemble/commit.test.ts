// Repository and commit: which source wins, and what is recorded about it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRepo } from '../../../src/assemble/commit.ts';
import { asCommitSha, commitFromRelease } from '../../../src/evidence/ids.ts';
import { Redactor } from '../../../src/assemble/redactor.ts';
import { KEY, pythonAlert } from './helpers.ts';

const SHA = '2f6b1c9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a';
const OTHER = 'aaaaaaa1111111bbbbbbb2222222ccccccc33333';
const base = { resource: {}, service: 'checkout', releaseCommits: {}, serviceRepos: {}, redactor: new Redactor({ key: KEY }, 'inc') };

test('SHA-like releases', () => {
  assert.equal(commitFromRelease(SHA), SHA);
  assert.equal(commitFromRelease(`api@${SHA.slice(0, 12)}`), SHA.slice(0, 12));
  assert.equal(commitFromRelease('1.4.2+2f6b1c9'), '2f6b1c9');
  assert.equal(commitFromRelease('v1.4.2-3-g2f6b1c9'), '2f6b1c9');
  assert.equal(commitFromRelease('1.4.2'), undefined);
  assert.equal(asCommitSha('20240115'), undefined, 'all-digit abbreviations are build numbers');
});

test('commit: release SHA, then the alert commit, then the resource revision, then the release map', () => {
  const resource = { 'vcs.ref.head.revision': OTHER, 'service.version': '1.4.2' };
  const releaseCommits = { '1.4.2': SHA, 'api@2.0': SHA };
  const pick = (alert: Parameters<typeof pythonAlert>[0], res: Record<string, unknown> = resource) =>
    resolveRepo({ ...base, alert: pythonAlert(alert), resource: res, releaseCommits });
  assert.deepEqual([pick({ release: SHA }).commitSha, pick({ release: SHA }).commitSource], [SHA, 'alert.release']);
  assert.equal(pick({ release: 'api@2.0', commitSha: SHA }).commitSource, 'alert.commitSha');
  assert.deepEqual([pick({ release: 'api@2.0' }).commitSha, pick({ release: 'api@2.0' }).commitSource], [OTHER, 'resource.vcs.ref.head.revision']);
  assert.deepEqual([pick({ release: 'api@2.0' }, {}).commitSha, pick({ release: 'api@2.0' }, {}).commitSource], [SHA, 'release-map']);
  // No alert release: service.version is the release the map is looked up with.
  assert.deepEqual([pick({}, { 'service.version': '1.4.2' }).commitSha, pick({}, { 'service.version': '1.4.2' }).release], [SHA, '1.4.2']);
  assert.deepEqual([pick({ release: 'unknown' }, {}).commitSha, pick({ release: 'unknown' }, {}).commitSource], [undefined, 'none']);
});

test('repo: the service map, then the alert hint, then the resource URL; credentials never kept', () => {
  const alert = pythonAlert({ repoHint: 'acme/hinted' });
  const resource = { 'vcs.repository.url.full': 'https://ci:p4ss@git.example.com/acme/from-resource.git' };
  assert.deepEqual(
    resolveRepo({ ...base, alert, resource, serviceRepos: { checkout: 'https://github.com/acme/mapped' } }),
    { url: 'https://github.com/acme/mapped', name: 'acme/mapped', repoSource: 'service-map', commitSource: 'none' },
  );
  assert.deepEqual(resolveRepo({ ...base, alert, resource }), { name: 'acme/hinted', repoSource: 'alert.repoHint', commitSource: 'none' });
  const fromResource = resolveRepo({ ...base, alert: pythonAlert(), resource });
  assert.equal(fromResource.repoSource, 'resource.vcs.repository.url.full');
  assert.equal(fromResource.name, 'acme/from-resource');
  assert.match(fromResource.url ?? '', /^https:\/\/<url_credentials:[0-9a-f]{8}>@git\.example\.com\/acme\/from-resource\.git$/);
  const scp = resolveRepo({ ...base, alert: pythonAlert({ repoHint: 'git@github.com:acme/shop.git' }) });
  assert.deepEqual([scp.url, scp.name], ['https://github.com/acme/shop.git', 'acme/shop']);
  assert.equal(resolveRepo({ ...base, alert: pythonAlert() }).repoSource, 'none');
});

test('repo: a Sentry event without a service tag finds its repository by project slug', () => {
  const alert = pythonAlert({ source: 'sentry', sourceRefs: { project: '4', project_slug: 'billing-api' } });
  const noService = { ...base, service: undefined };
  // TRACEFIX_SENTRY_PROJECT_REPOS
  assert.deepEqual(
    resolveRepo({ ...noService, alert, sentryProjectRepos: { 'billing-api': 'acme/billing' } }),
    { name: 'acme/billing', repoSource: 'sentry-project-map', commitSource: 'none' },
  );
  // or the slug as a key of TRACEFIX_SERVICE_REPOS
  assert.equal(resolveRepo({ ...noService, alert, serviceRepos: { 'billing-api': 'acme/billing' } }).name, 'acme/billing');
  // a service tag, when the app sets one, is still the first choice
  const tagged = resolveRepo({ ...base, alert, serviceRepos: { checkout: 'acme/checkout' }, sentryProjectRepos: { 'billing-api': 'acme/billing' } });
  assert.deepEqual([tagged.name, tagged.repoSource], ['acme/checkout', 'service-map']);
  // only Sentry alerts are looked up by project, and only by their own keys
  assert.equal(resolveRepo({ ...noService, alert: pythonAlert({ source: 'otlp', sourceRefs: { project_slug: 'billing-api' } }), sentryProjectRepos: { 'billing-api': 'acme/billing' } }).repoSource, 'none');
  assert.equal(resolveRepo({ ...noService, alert: pythonAlert({ source: 'sentry', sourceRefs: { project_slug: 'constructor' } }) }).repoSource, 'none');
});
