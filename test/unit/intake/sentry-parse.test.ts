// Sentry integration-platform deliveries → IntakeOutcome, on the published payloads.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseSentryDelivery } from '../../../src/intake/sentry/parse-delivery.ts';
import { delivery, expectAlert, expectBadPayload, expectIgnored, fixture, fixtureJson } from './support.ts';

const REQUEST_ID = '88b02c9a5b8a4c5c9a1e3d7bfc2a6f10';
const hook = (resource: string, requestId: string | null = REQUEST_ID) => ({
  'sentry-hook-resource': resource,
  ...(requestId ? { 'request-id': requestId } : {}),
  'sentry-hook-timestamp': '1566248777',
});

/** The stored Python event sample, completed with the trace context fragment and a release,
 * delivered the way an issue-alert rule would (data.event + web_url/issue_id). */
function pythonEventAlert(overrides: Record<string, unknown> = {}) {
  const event = {
    ...fixtureJson('sentry/event-sample-python-modern.json'),
    ...fixtureJson('sentry/event-fragment-contexts-trace.json'),
    event_id: '5f2a0c3b9d8e4f1aa0b1c2d3e4f50617',
    issue_id: '4402911',
    project: 7,
    release: 'backend@2f6b1c9e4d3a5b7c8d9e0f1a2b3c4d5e6f7a8b9c',
    web_url: 'https://acme.sentry.io/issues/4402911/events/5f2a0c3b9d8e4f1aa0b1c2d3e4f50617/',
    ...overrides,
  };
  return { action: 'triggered', installation: { uuid: 'a8e5d37a' }, data: { event, triggered_rule: 'Errors in backend' }, actor: { type: 'application', id: 'sentry', name: 'Sentry' } };
}

describe('parseSentryDelivery: published webhook payloads', () => {
  it('event_alert.triggered (JS browser event): minified frames, crash site last, ids and links', () => {
    const alert = expectAlert(parseSentryDelivery(delivery(fixture('sentry/integration-event-alert-triggered.json'), hook('event_alert'))));
    assert.equal(alert.source, 'sentry');
    assert.equal(alert.kind, 'event_alert.triggered');
    assert.equal(alert.deliveryId, REQUEST_ID);
    assert.equal(alert.receivedAt, '2026-01-02T03:04:05.000Z');
    assert.equal(alert.errorType, 'ReferenceError');
    assert.equal(alert.message, 'heck is not defined');
    assert.equal(alert.title, 'ReferenceError: heck is not defined');
    assert.equal(alert.frames.length, 3);
    assert.deepEqual(alert.frames.at(-1), { file: '<anonymous>', absPath: '<anonymous>', line: 3, column: 5, inApp: false });
    assert.equal(alert.frames[0]?.file, '/js/prod/runner-4.1.7.min.js');
    assert.equal(alert.frames[0]?.absPath, 'https://static.jsbin.com/js/prod/runner-4.1.7.min.js');
    assert.equal(alert.frames[0]?.column, 10866);
    assert.equal(alert.frames[0]?.function, undefined, 'function: null is dropped');
    assert.equal(alert.exceptions.length, 1);
    assert.deepEqual(alert.exceptions[0]?.frames, alert.frames);
    assert.equal(alert.tags.browser, 'Chrome 75.0.3770');
    assert.equal(alert.tags.mechanism, 'onerror');
    assert.equal(alert.request?.url, 'https://null.jsbin.com/runner');
    assert.equal(alert.request?.query, undefined, 'empty query_string list is dropped');
    assert.match(alert.request?.headers?.['User-Agent'] ?? '', /Chrome\/75/);
    assert.equal(alert.link, 'https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/');
    assert.deepEqual(alert.sourceRefs, {
      issue_id: '1117540176',
      event_id: 'e4874d664c3540c1a32eab185f12c5ab',
      project: '1',
      organization: 'test-org',
      // The slug, from the event's API URL: what TRACEFIX_SENTRY_PROJECT_REPOS maps.
      project_slug: 'front-end',
      triggered_rule: 'Very Important Alert Rule!',
    });
    assert.equal(alert.traceId, undefined);
    assert.equal(alert.release, undefined);
    assert.equal(alert.commitSha, undefined);
    assert.equal(alert.needsEvent, undefined);
  });

  it('error.created: event under data.error, source context kept', () => {
    const alert = expectAlert(parseSentryDelivery(delivery(fixture('sentry/integration-error-created.json'), hook('error'))));
    assert.equal(alert.kind, 'error.created');
    assert.equal(alert.errorType, 'ReferenceError');
    assert.equal(alert.message, 'blooopy is not defined');
    assert.equal(alert.frames.length, 1);
    const crash = alert.frames[0];
    assert.equal(crash?.file, '/runner');
    assert.equal(crash?.absPath, 'https://null.jsbin.com/runner');
    assert.equal(crash?.module, 'runner');
    assert.equal(crash?.line, 3);
    assert.equal(crash?.contextLine, '<meta charset=utf-8>');
    assert.deepEqual(crash?.preContext, ['<!doctype html>', '<html>']);
    assert.equal(crash?.postContext?.length, 5);
    assert.equal(alert.sourceRefs.issue_id, '1170820242');
    assert.equal(alert.sourceRefs.event_id, 'bb78c1407cea4519aa397afc059c793d');
    assert.equal(alert.tags.user, 'ip:162.217.75.90');
  });

  it('error.created with the event under data.event (as the docs header describes) works too', () => {
    const body = fixtureJson<{ data: { error: unknown } }>('sentry/integration-error-created.json');
    const moved = { ...body, data: { event: body.data.error } };
    const alert = expectAlert(parseSentryDelivery(delivery(moved, hook('error'))));
    assert.equal(alert.message, 'blooopy is not defined');
  });

  it('issue.created: no event yet → needsEvent, metadata names type, value and crash file', () => {
    const alert = expectAlert(parseSentryDelivery(delivery(fixture('sentry/integration-issue-created.json'), hook('issue'))));
    assert.equal(alert.kind, 'issue.created');
    assert.equal(alert.needsEvent, true);
    assert.equal(alert.errorType, 'ReferenceError');
    assert.equal(alert.message, 'blooopy is not defined');
    assert.equal(alert.title, 'ReferenceError: blooopy is not defined');
    assert.deepEqual(alert.frames, [{ file: '/runner', inApp: true }]);
    assert.deepEqual(alert.sourceRefs, { issue_id: '1170820242', short_id: 'FRONT-END-9', project: 'front-end', project_slug: 'front-end', culprit: '?(runner)' });
  });

  it('issue actions other than created/unresolved are ignored; unresolved (a regression) alerts', () => {
    const body = fixtureJson('sentry/integration-issue-created.json');
    const resolved = expectIgnored(parseSentryDelivery(delivery({ ...body, action: 'resolved' }, hook('issue'))));
    assert.equal(resolved.event, 'issue.resolved');
    assert.equal(resolved.deliveryId, REQUEST_ID);
    expectIgnored(parseSentryDelivery(delivery({ ...body, action: 'assigned' }, hook('issue'))));
    const regression = expectAlert(parseSentryDelivery(delivery({ ...body, action: 'unresolved' }, hook('issue'))));
    assert.equal(regression.kind, 'issue.unresolved');
  });

  it('metric_alert and seer deliveries are recorded as ignored with a reason', () => {
    const metric = expectIgnored(parseSentryDelivery(delivery(fixture('sentry/integration-metric-alert-resolved.json'), hook('metric_alert'))));
    assert.equal(metric.event, 'metric_alert.resolved');
    assert.match(metric.reason, /metric/);
    const seer = expectIgnored(parseSentryDelivery(delivery(fixture('sentry/integration-seer-root-cause-completed.json'), hook('seer'))));
    assert.equal(seer.event, 'seer.root_cause_completed');
  });

  it('installation, comment and unknown resources are ignored', () => {
    const installation = { action: 'created', installation: { uuid: 'x' }, data: { installation: { uuid: 'x', status: 'installed' } }, actor: {} };
    assert.match(expectIgnored(parseSentryDelivery(delivery(installation, hook('installation')))).reason, /installation/);
    const comment = { action: 'created', data: { comment: 'looking', issue_id: 1 } };
    expectIgnored(parseSentryDelivery(delivery(comment, hook('comment'))));
    const future = expectIgnored(parseSentryDelivery(delivery({ action: 'completed', data: {} }, hook('preprod_artifact'))));
    assert.match(future.reason, /unsupported Sentry resource "preprod_artifact"/);
  });
});

describe('parseSentryDelivery: the stored Python event sample with tracing', () => {
  it('keeps frames, vars, context lines, environment, tags, trace context and the release commit', () => {
    const alert = expectAlert(parseSentryDelivery(delivery(pythonEventAlert(), hook('event_alert'))));
    assert.equal(alert.errorType, 'Exception');
    assert.equal(alert.message, 'This is an example Python exception');
    assert.equal(alert.frames.length, 2);
    const [caller, crash] = alert.frames;
    assert.equal(caller?.function, '<module>');
    assert.equal(caller?.line, 28);
    assert.equal(crash?.file, 'main.py');
    assert.equal(crash?.absPath, '/Users/user/test/main.py');
    assert.equal(crash?.function, 'main');
    assert.equal(crash?.module, '__main__');
    assert.equal(crash?.line, 26);
    assert.equal(crash?.inApp, true);
    assert.equal(crash?.contextLine, "    raise Exception('This is an example Python exception')");
    assert.equal(crash?.preContext?.length, 5);
    assert.deepEqual(crash?.postContext, ['', 'main()']);
    assert.deepEqual(crash?.vars, {
      dict_var: { key1: "'value1'", key2: "'value2'", key3: "'value3'" },
      int_var: '1',
      list_var: ['1', '2', '3'],
      str_var: "'Hello, world!'",
    });
    assert.equal(alert.environment, 'production');
    assert.equal(alert.tags.runtime, 'CPython 3.13.5');
    assert.equal(alert.tags.server_name, 'web01.example.org');
    assert.equal(alert.traceId, '743ad8bbfdd84e99bc38b4729e2864de');
    assert.equal(alert.spanId, 'a0cfbde2bdff3adc');
    assert.equal(alert.release, 'backend@2f6b1c9e4d3a5b7c8d9e0f1a2b3c4d5e6f7a8b9c');
    assert.equal(alert.commitSha, '2f6b1c9e4d3a5b7c8d9e0f1a2b3c4d5e6f7a8b9c');
    assert.equal(alert.sourceRefs.organization, 'acme');
    assert.equal(alert.sourceRefs.project, '7');
  });

  it('lower-cases an upper-case trace id and drops one that is not 32 hex', () => {
    const upper = pythonEventAlert({ contexts: { trace: { trace_id: '743AD8BBFDD84E99BC38B4729E2864DE', span_id: 'A0CFBDE2BDFF3ADC' } } });
    assert.equal(expectAlert(parseSentryDelivery(delivery(upper, hook('event_alert')))).traceId, '743ad8bbfdd84e99bc38b4729e2864de');
    const bad = pythonEventAlert({ contexts: { trace: { trace_id: 'not-a-trace', span_id: 42 } } });
    const alert = expectAlert(parseSentryDelivery(delivery(bad, hook('event_alert'))));
    assert.equal(alert.traceId, undefined);
    assert.equal(alert.spanId, undefined);
  });

  it('a SHA release is the commit; a semver release is not', () => {
    const sha = expectAlert(parseSentryDelivery(delivery(pythonEventAlert({ release: '2F6B1C9E' }), hook('event_alert'))));
    assert.equal(sha.commitSha, '2f6b1c9e');
    const semver = expectAlert(parseSentryDelivery(delivery(pythonEventAlert({ release: 'backend@1.4.2' }), hook('event_alert'))));
    assert.equal(semver.commitSha, undefined);
    assert.equal(semver.release, 'backend@1.4.2');
  });
});

describe('parseSentryDelivery: event shapes', () => {
  const frame = fixtureJson<{ frames: unknown[] }>('sentry/event-fragment-stacktrace-frame-python.json');

  it('flat exception list with the fully populated frame fragment; tags and headers as maps', () => {
    const event = {
      event_id: 'e1',
      exception: [{ type: 'ValueError', value: 'bad value', module: 'builtins', stacktrace: frame }],
      tags: { environment: 'staging', service: 'billing' },
      request: { method: 'POST', url: 'https://api.example.com/pay', query_string: 'id=7&dry=1', headers: { 'Content-Type': 'application/json' }, data: { amount: 7 } },
    };
    const alert = expectAlert(parseSentryDelivery(delivery({ action: 'created', data: { error: event } }, hook('error'))));
    assert.equal(alert.errorType, 'ValueError');
    assert.equal(alert.exceptions[0]?.module, 'builtins');
    assert.deepEqual(alert.frames, [
      {
        file: 'file/name.py',
        absPath: '/real/file/name.py',
        function: 'myfunction',
        line: 3,
        inApp: true,
        contextLine: '  raise ValueError()',
        preContext: ['def foo():', "  my_var = 'foo'"],
        postContext: ['', 'def main():'],
        vars: { my_var: "'value'" },
      },
    ]);
    assert.equal(alert.environment, 'staging');
    assert.equal(alert.service, 'billing');
    assert.deepEqual(alert.request, { method: 'POST', url: 'https://api.example.com/pay', query: 'id=7&dry=1', headers: { 'Content-Type': 'application/json' }, data: { amount: 7 } });
  });

  it('chained exceptions: kept oldest first, the last is the raised one and gives the frames', () => {
    const event = {
      exception: {
        values: [
          { type: 'KeyError', value: "'user_id'", stacktrace: { frames: [{ filename: 'app/db.py', function: 'load', lineno: 10 }] } },
          { type: 'LookupFailed', value: 'user lookup failed', stacktrace: { frames: [{ filename: 'app/views.py', function: 'get_user', lineno: 42, in_app: true }] } },
        ],
      },
    };
    const alert = expectAlert(parseSentryDelivery(delivery({ action: 'triggered', data: { event } }, hook('event_alert'))));
    assert.deepEqual(alert.exceptions.map((e) => e.type), ['KeyError', 'LookupFailed']);
    assert.equal(alert.errorType, 'LookupFailed');
    assert.equal(alert.message, 'user lookup failed');
    assert.equal(alert.frames.at(-1)?.function, 'get_user');
    assert.equal(alert.exceptions[0]?.frames[0]?.function, 'load');
  });

  it('message-only event: logentry message, type from metadata or Error, thread frames', () => {
    const event = {
      logentry: { formatted: 'Payment 8812 declined for order 77', message: 'Payment %s declined for order %s' },
      threads: { values: [{ id: 1, current: true, stacktrace: { frames: [{ filename: 'pay.py', function: 'charge', lineno: 9 }] } }] },
    };
    const alert = expectAlert(parseSentryDelivery(delivery({ action: 'triggered', data: { event } }, hook('event_alert'))));
    assert.equal(alert.errorType, 'Error');
    assert.equal(alert.message, 'Payment 8812 declined for order 77');
    assert.equal(alert.title, 'Payment 8812 declined for order 77');
    assert.equal(alert.frames[0]?.function, 'charge');
    assert.equal(alert.exceptions.length, 1);
    const typed = { message: 'disk full', metadata: { type: 'OSError' } };
    const second = expectAlert(parseSentryDelivery(delivery({ action: 'triggered', data: { event: typed } }, hook('event_alert'))));
    assert.equal(second.errorType, 'OSError');
    assert.equal(second.message, 'disk full');
    assert.deepEqual(second.frames, []);
  });

  it('fits oversize payloads into the schema: the newest 500 frames, long messages clipped', () => {
    const frames = Array.from({ length: 600 }, (_, i) => ({ filename: `f${i}.js`, function: `fn${i}`, lineno: i + 1 }));
    const event = { exception: { values: [{ type: 'RangeError', value: 'x'.repeat(10_000), stacktrace: { frames } }] } };
    const alert = expectAlert(parseSentryDelivery(delivery({ action: 'triggered', data: { event } }, hook('event_alert'))));
    assert.equal(alert.frames.length, 500);
    assert.equal(alert.frames.at(-1)?.function, 'fn599');
    assert.equal(alert.frames[0]?.function, 'fn100');
    assert.equal(alert.message.length, 8192);
  });
});

describe('parseSentryDelivery: delivery ids and bad input', () => {
  it('without Request-ID the delivery id is a digest of the raw body, stable across redeliveries', () => {
    const raw = fixture('sentry/integration-error-created.json');
    const first = expectAlert(parseSentryDelivery(delivery(raw, hook('error', null))));
    const again = expectAlert(parseSentryDelivery(delivery(Buffer.from(raw), hook('error', null))));
    assert.equal(first.deliveryId, `sha256:${createHash('sha256').update(raw).digest('hex')}`);
    assert.equal(again.deliveryId, first.deliveryId);
  });

  it('malformed JSON, a missing resource header and schema violations are 400 TF_BAD_PAYLOAD with paths', () => {
    const notJson = expectBadPayload(() => parseSentryDelivery(delivery('{"action": "triggered", ', hook('event_alert'))));
    assert.equal(notJson.length, 1);
    expectBadPayload(() => parseSentryDelivery(delivery({ action: 'triggered', data: {} }, {})));
    const noEvent = expectBadPayload(() => parseSentryDelivery(delivery({ action: 'triggered', data: {} }, hook('event_alert'))));
    assert.deepEqual(noEvent.map((d) => d.path), ['data.event']);
    const badFrames = expectBadPayload(() =>
      parseSentryDelivery(delivery({ action: 'triggered', data: { event: { exception: { values: [{ type: 'E', stacktrace: { frames: [{ lineno: 'twelve' }] } }] } } } }, hook('event_alert'))),
    );
    assert.ok(badFrames.some((d) => d.path.startsWith('data.event.exception')), JSON.stringify(badFrames));
    const noData = expectBadPayload(() => parseSentryDelivery(delivery({ action: 'triggered' }, hook('event_alert'))));
    assert.deepEqual(noData.map((d) => d.path), ['data']);
    expectBadPayload(() => parseSentryDelivery(delivery(Buffer.from([0x7b, 0xff, 0x7d]), hook('event_alert'))));
  });
});
