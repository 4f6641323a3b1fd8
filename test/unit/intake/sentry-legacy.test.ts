// The legacy WebHooks plugin body, modern (`exception`) and Sentry 8/9 (`sentry.interfaces.*`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSentryLegacyDelivery, unaliasLegacyEvent } from '../../../src/intake/sentry/legacy.ts';
import { delivery, expectAlert, expectBadPayload, fixture } from './support.ts';

describe('parseSentryLegacyDelivery', () => {
  it('modern keys (JS event, version 7)', () => {
    const alert = expectAlert(parseSentryLegacyDelivery(delivery(fixture('sentry/legacy-webhooks-plugin-event-js.json'))));
    assert.equal(alert.kind, 'legacy_plugin.event');
    assert.equal(alert.deliveryId, 'event:af17d39f6a5d4c19ae5a735043a3bd97');
    assert.equal(alert.errorType, 'ReferenceError');
    assert.equal(alert.message, 'hello is not defined');
    assert.equal(alert.frames.length, 1);
    assert.equal(alert.frames[0]?.file, '/runner');
    assert.equal(alert.frames[0]?.line, 3);
    assert.equal(alert.frames[0]?.column, 5);
    assert.equal(alert.link, 'https://sentry.io/organizations/meredith/issues/1385042923/?referrer=webhooks_plugin');
    assert.equal(alert.sourceRefs.issue_id, '1385042923');
    assert.equal(alert.sourceRefs.project, 'meow');
    assert.equal(alert.sourceRefs.organization, 'meredith');
    assert.equal(alert.sourceRefs.triggering_rules, 'Webhook Test');
    assert.equal(alert.tags['sentry:user'], 'ip:38.140.60.234');
  });

  it('Sentry 8/9 aliased interfaces (raven, version 5): stacktrace, http, message', () => {
    const alert = expectAlert(parseSentryLegacyDelivery(delivery(fixture('sentry/legacy-webhooks-plugin-sentry9-python-raven.json'))));
    assert.equal(alert.deliveryId, 'event:0476467adf8f499ea795a48fcc4bf290');
    assert.equal(alert.errorType, 'Error');
    assert.equal(alert.message, 'This is an example Python exception');
    assert.equal(alert.title, 'This is an example Python exception');
    assert.equal(alert.frames.length, 5);
    assert.deepEqual(alert.frames.map((f) => f.function), ['build_msg', 'capture', 'captureMessage', 'send_test_message', 'main']);
    const last = alert.frames.at(-1);
    assert.equal(last?.file, 'raven/scripts/runner.py');
    assert.equal(last?.absPath, '/home/ubuntu/.virtualenvs/getsentry/src/raven/raven/scripts/runner.py');
    assert.equal(last?.line, 112);
    assert.equal(last?.inApp, false);
    assert.equal(last?.contextLine, '    send_test_message(client, opts.__dict__)');
    assert.equal(last?.vars?.["'dsn'"], "'https://ebc35f33e151401f9deac549978bda11:f3403f81e12e4c24942d505f086b2cad@sentry.io/1'");
    assert.deepEqual(alert.request, {
      method: 'GET',
      url: 'http://example.com/foo',
      query: 'foo=bar',
      headers: { 'Content-Type': 'application/json', Referer: 'http://example.com', 'User-Agent': alert.request?.headers?.['User-Agent'] ?? '' },
      data: { hello: 'world' },
    });
    assert.match(alert.request?.headers?.['User-Agent'] ?? '', /Chrome\/28/);
    assert.equal(alert.tags.os, 'Windows 8');
    assert.equal(alert.sourceRefs.culprit, 'raven.scripts.runner in main');
    assert.equal(alert.link, 'https://sentry.io/alertaio/alerta5/issues/541485531/');
  });

  it('without an event id the delivery id is the body digest; a body without event is a 400', () => {
    const body = { id: '1', project: 'p', message: 'boom', event: { 'sentry.interfaces.Message': { message: 'boom' } } };
    const alert = expectAlert(parseSentryLegacyDelivery(delivery(body)));
    assert.match(alert.deliveryId, /^sha256:[0-9a-f]{64}$/);
    assert.equal(alert.message, 'boom');
    const details = expectBadPayload(() => parseSentryLegacyDelivery(delivery({ id: '1', project: 'p' })));
    assert.deepEqual(details.map((d) => d.path), ['event']);
  });
});

describe('unaliasLegacyEvent', () => {
  it('maps interface aliases to canonical keys; a canonical key already present wins', () => {
    const out = unaliasLegacyEvent({
      'sentry.interfaces.Exception': { values: [{ type: 'Old' }] },
      exception: { values: [{ type: 'New' }] },
      'sentry.interfaces.Http': { url: 'u' },
    });
    assert.deepEqual(out, { exception: { values: [{ type: 'New' }] }, request: { url: 'u' } });
  });
});
