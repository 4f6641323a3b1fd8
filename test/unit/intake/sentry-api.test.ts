// fetchLatestSentryEvent against a local server speaking Sentry's REST API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { fetchLatestSentryEvent, SentryApiError } from '../../../src/intake/sentry/api-client.ts';
import { startFakeSentry, type FakeSentry } from '../../helpers/fake-sentry.ts';
import { fixtureJson } from './support.ts';

const TOKEN = 'sntrys_test_token_4c1f';

describe('fetchLatestSentryEvent', () => {
  let sentry: FakeSentry;
  const config = (token: string | null = TOKEN) =>
    loadConfig({ TRACEFIX_SENTRY_API_URL: sentry.url, ...(token ? { TRACEFIX_SENTRY_TOKEN: token } : {}) });

  before(async () => {
    sentry = await startFakeSentry({ token: TOKEN, org: 'hellboy-meowmeow', events: { '1341191803': fixtureJson('sentry/api-issue-latest-event.json') } });
  });
  after(() => sentry.close());

  it('fetches the organization-scoped latest event and normalizes it like a webhook event', async () => {
    const alert = await fetchLatestSentryEvent(config(), '1341191803', 'hellboy-meowmeow', { now: new Date('2026-01-02T00:00:00Z') });
    const request = sentry.requests.at(-1);
    assert.equal(request?.path, '/api/0/organizations/hellboy-meowmeow/issues/1341191803/events/latest/');
    assert.equal(request?.authorization, `Bearer ${TOKEN}`);
    assert.equal(alert.source, 'sentry');
    assert.equal(alert.kind, 'issue.latest_event');
    assert.equal(alert.deliveryId, 'sentry-api:1341191803:9999aaaaca8b46d797c23c6077c6ff01');
    assert.equal(alert.errorType, 'ForbiddenError');
    assert.equal(alert.message, 'GET /organizations/hellboy-meowmeow/users/ 403');
    assert.equal(alert.frames.length, 2);
    const crash = alert.frames.at(-1);
    assert.equal(crash?.function, 'apply');
    assert.equal(crash?.file, '/usr/src/getsentry/src/sentry/node_modules/reflux-core/lib/PublisherMethods.js');
    assert.equal(crash?.absPath, 'webpack:////usr/src/getsentry/src/sentry/node_modules/reflux-core/lib/PublisherMethods.js');
    assert.equal(crash?.line, 74);
    assert.equal(crash?.column, 24);
    assert.equal(crash?.inApp, false);
    // `context` pairs around lineNo 74 → 5 lines before, the line, 5 after.
    assert.equal(crash?.contextLine, '            me.trigger.apply(me, args);');
    assert.deepEqual(crash?.preContext, ['     */', '    triggerAsync: function triggerAsync() {', '        var args = arguments,', '            me = this;', '        _.nextTick(function () {']);
    assert.equal(crash?.postContext?.length, 5);
    assert.equal(alert.traceId, 'da6caabcd90e45fdb81f6655824a5f88');
    assert.equal(alert.spanId, '83db1ad17e67dfe7');
    assert.equal(alert.release, 'b65bc521378269d3eaefdc964f8ef56621414943');
    assert.equal(alert.commitSha, 'b65bc521378269d3eaefdc964f8ef56621414943');
    assert.equal(alert.environment, 'prod');
    assert.equal(alert.tags.handled, 'yes');
    assert.equal(alert.request?.query, 'project=5236886');
    assert.equal(alert.sourceRefs.issue_id, '1341191803');
    assert.equal(alert.sourceRefs.organization, 'hellboy-meowmeow');
    assert.equal(alert.link, `${sentry.url}/organizations/hellboy-meowmeow/issues/1341191803/events/9999aaaaca8b46d797c23c6077c6ff01/`);
    assert.equal(alert.needsEvent, undefined);
  });

  it('without an organization uses the issue-scoped endpoint', async () => {
    const alert = await fetchLatestSentryEvent(config(), '1341191803');
    assert.equal(sentry.requests.at(-1)?.path, '/api/0/issues/1341191803/events/latest/');
    assert.equal(alert.errorType, 'ForbiddenError');
  });

  it('a bad token, an unknown issue or org, and a missing token fail with SentryApiError', async () => {
    await assert.rejects(fetchLatestSentryEvent(config('wrong-token'), '1341191803'), (e: unknown) => e instanceof SentryApiError && e.status === 401);
    await assert.rejects(fetchLatestSentryEvent(config(), '42'), (e: unknown) => e instanceof SentryApiError && e.status === 404);
    await assert.rejects(fetchLatestSentryEvent(config(), '1341191803', 'other-org'), (e: unknown) => e instanceof SentryApiError && e.status === 404);
    const before = sentry.requests.length;
    await assert.rejects(fetchLatestSentryEvent(config(null), '1341191803'), SentryApiError);
    await assert.rejects(fetchLatestSentryEvent(config(), '../../etc'), SentryApiError);
    assert.equal(sentry.requests.length, before, 'no request without a token or with a bad issue id');
  });
});
