// Datadog webhook bodies: the captured real body, user-template variations, form encoding,
// 64-bit ids, and a round trip through the recommended setup.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatadogDelivery } from '../../../src/intake/datadog/parse-delivery.ts';
import {
  DATADOG_RECOMMENDED_APM_MONITOR_BLOCK,
  DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK,
  DATADOG_RECOMMENDED_PAYLOAD,
  parseTracefixBlock,
} from '../../../src/intake/datadog/template.ts';
import { datadogSpanIdToHex, datadogTraceIdToHex } from '../../../src/intake/datadog/trace-id.ts';
import { delivery, expectAlert, expectBadPayload, expectIgnored, fixture, fixtureJson } from './support.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

/** What Datadog does to a template: each `$VAR` replaced by its value, JSON-escaped in place. */
function renderPayload(template: string, vars: Record<string, string>): string {
  return template.replace(/\$([A-Z_]+)/g, (whole, name: string) => (name in vars ? JSON.stringify(vars[name]).slice(1, -1) : whole));
}

/** What a monitor does to its message: `{{…}}` / `{{{…}}}` replaced by the matching event's values
 * (double braces HTML-escape, as Datadog does by default). */
function renderMonitorMessage(template: string, values: Record<string, string>): string {
  return template
    .replace(/\{\{\{\s*([^}]+?)\s*\}\}\}/g, (_, key: string) => values[key] ?? '')
    .replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, key: string) => (values[key] ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

const NODE_STACK = `TypeError: Cannot read properties of undefined (reading 'price')
    at lineTotal (/app/src/cart/total.js:14:32)
    at Array.map (<anonymous>)
    at cartTotal (/app/src/cart/total.js:22:25)
    at checkout (/app/src/routes/checkout.js:51:19)
    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)`;

describe('parseDatadogDelivery: the captured body', () => {
  it('query_alert_monitor, Triggered: ids kept as strings, renamed keys read, monitor link found', () => {
    const alert = expectAlert(parseDatadogDelivery(delivery(fixture('datadog/webhook-captured-query-alert-monitor-triggered.json'), JSON_TYPE)));
    assert.equal(alert.source, 'datadog');
    assert.equal(alert.deliveryId, '8306082202796025694');
    assert.equal(alert.kind, 'query_alert_monitor.triggered');
    assert.equal(alert.title, '[Triggered] High tracking');
    assert.equal(alert.errorType, 'Error');
    assert.equal(alert.message, 'High tracking');
    assert.deepEqual(alert.frames, []);
    assert.equal(alert.link, 'https://app.datadoghq.com/monitors/221164084?from_ts=1759342924000&to_ts=1759344124000&event_id=8306082202796025694&link_source=monitor_notif');
    assert.deepEqual(alert.sourceRefs, {
      event_id: '8306082202796025694',
      monitor_id: '221164084',
      aggreg_key: '06ade3da0286048d242ea8e46f521c93',
      org_id: '352347',
      priority: 'P1',
      event_type: 'query_alert_monitor',
    });
  });

  it('the same body with transition Recovered is ignored', () => {
    const body = { ...fixtureJson('datadog/webhook-captured-query-alert-monitor-triggered.json'), transition: 'Recovered', title: '[Recovered] High tracking' };
    const ignored = expectIgnored(parseDatadogDelivery(delivery(body, JSON_TYPE)));
    assert.equal(ignored.event, 'query_alert_monitor.recovered');
    assert.equal(ignored.deliveryId, '8306082202796025694');
  });
});

describe('parseDatadogDelivery: template variations', () => {
  it('an unquoted 64-bit $ID keeps its exact digits (JSON.parse alone would round it)', () => {
    const raw = '{"id": 8306082202796025694, "alert_id": 221164084, "title": "[Triggered] Errors", "alert_transition": "Triggered"}';
    assert.notEqual(String((JSON.parse(raw) as { id: number }).id), '8306082202796025694');
    const alert = expectAlert(parseDatadogDelivery(delivery(raw, JSON_TYPE)));
    assert.equal(alert.deliveryId, '8306082202796025694');
    assert.equal(alert.sourceRefs.event_id, '8306082202796025694');
    assert.equal(alert.sourceRefs.monitor_id, '221164084');
  });

  it('form-encoded bodies (encode_as: form), field by field or as one JSON field', () => {
    const form = new URLSearchParams({
      id: '7012345678901234567',
      title: '[Triggered] checkout errors',
      alert_transition: 'Triggered',
      event_type: 'log_alert_monitor',
      body: `%%%\nErrors in checkout\n\n${NODE_STACK}\n%%%`,
      tags: 'env:prod,service:checkout,version:1.4.2',
      org: '{"id":"352347","name":"acme"}',
    }).toString();
    const alert = expectAlert(parseDatadogDelivery(delivery(form, FORM_TYPE)));
    assert.equal(alert.deliveryId, '7012345678901234567');
    assert.equal(alert.kind, 'log_alert_monitor.triggered');
    assert.equal(alert.errorType, 'TypeError');
    assert.equal(alert.message, "Cannot read properties of undefined (reading 'price')");
    assert.equal(alert.frames.at(-1)?.function, 'lineTotal');
    assert.equal(alert.service, 'checkout');
    assert.equal(alert.environment, 'prod');
    assert.equal(alert.release, '1.4.2');
    assert.equal(alert.sourceRefs.org_id, '352347');
    const single = `payload=${encodeURIComponent('{"id": 7012345678901234567, "title": "[Re-Triggered] checkout errors"}')}`;
    const again = expectAlert(parseDatadogDelivery(delivery(single, FORM_TYPE)));
    assert.equal(again.deliveryId, '7012345678901234567');
    assert.equal(again.kind, 'monitor.re-triggered');
  });

  it('renamed keys: event_id, transition, aggregate, alert_title, text', () => {
    const alert = expectAlert(parseDatadogDelivery(delivery({ event_id: '55', transition: 'Warn', aggregate: 'abc', alert_title: 'Latency', text: 'slow' }, JSON_TYPE)));
    assert.equal(alert.deliveryId, '55');
    assert.equal(alert.kind, 'monitor.warn');
    assert.equal(alert.sourceRefs.aggreg_key, 'abc');
    assert.equal(alert.message, 'Latency');
  });

  it('recovery is recognised from alert_transition, the title prefix, or alert_type success', () => {
    expectIgnored(parseDatadogDelivery(delivery({ id: '1', alert_transition: 'Recovered' }, JSON_TYPE)));
    expectIgnored(parseDatadogDelivery(delivery({ id: '2', title: '[P2] [Recovered] Errors in checkout' }, JSON_TYPE)));
    expectIgnored(parseDatadogDelivery(delivery({ id: '3', alert_type: 'success' }, JSON_TYPE)));
    expectIgnored(parseDatadogDelivery(delivery({ id: '4', alert_transition: 'No Data' }, JSON_TYPE)));
    expectAlert(parseDatadogDelivery(delivery({ id: '5', alert_transition: 'Re-Triggered' }, JSON_TYPE)));
  });

  it('delivery id fallbacks: cycle key, aggregation key with date, unrendered $VARS skipped, body digest', () => {
    assert.equal(expectAlert(parseDatadogDelivery(delivery({ id: '$ID', alert_cycle_key: '9912' }, JSON_TYPE))).deliveryId, 'cycle:9912');
    assert.equal(expectAlert(parseDatadogDelivery(delivery({ aggreg_key: 'k1', date: '1759343824000' }, JSON_TYPE))).deliveryId, 'aggreg:k1@1759343824000');
    assert.match(expectAlert(parseDatadogDelivery(delivery({ title: 'x' }, JSON_TYPE))).deliveryId, /^sha256:[0-9a-f]{64}$/);
  });

  it('a body that is not a JSON object is a 400', () => {
    expectBadPayload(() => parseDatadogDelivery(delivery('{"id": ', JSON_TYPE)));
    const details = expectBadPayload(() => parseDatadogDelivery(delivery('[1,2]', JSON_TYPE)));
    assert.equal(details[0]?.path, '');
  });
});

describe('the recommended Datadog setup, round trip', () => {
  const traceHex = '4bf92f3577b34da6a3ce929d0e0e4736';
  const logValues = {
    'log.attributes.[error.kind]': 'TypeError',
    'log.attributes.[error.message]': "Cannot read properties of undefined (reading 'price')",
    'log.service': 'checkout',
    'log.tags.version': '2f6b1c9',
    'log.tags.env': 'prod',
    'log.tags.[git.commit.sha]': '2f6b1c9e4d3a5b7c8d9e0f1a2b3c4d5e6f7a8b9c',
    'log.trace_id': String(BigInt(`0x${traceHex.slice(16)}`)),
    'log.span_id': '67667974448284343',
    'log.attributes.[error.stack]': NODE_STACK,
  };
  const vars = (message: string) => ({
    ID: '7301946612001234567',
    ALERT_ID: '221164084',
    ALERT_CYCLE_KEY: '7301946611998877665',
    AGGREG_KEY: 'b1f0c2d3e4',
    ALERT_TRANSITION: 'Triggered',
    ALERT_TYPE: 'error',
    ALERT_PRIORITY: 'P2',
    ALERT_SCOPE: 'service:checkout',
    EVENT_TYPE: 'log_alert_monitor',
    EVENT_TITLE: '[Triggered on {service:checkout}] Errors in checkout',
    DATE: '1759343824000',
    LAST_UPDATED: '1759343824000',
    EVENT_MSG: `%%%\n${message}\n%%%`,
    TEXT_ONLY_MSG: message,
    LOGS_SAMPLE: '',
    LINK: 'https://app.datadoghq.com/event/event?id=7301946612001234567',
    TAGS: 'env:prod,monitor,service:checkout,team:payments',
    HOSTNAME: '',
    ORG_ID: '352347',
    ORG_NAME: 'acme',
  });

  it('the payload template is valid JSON once rendered and uses only $VARS', () => {
    assert.doesNotMatch(DATADOG_RECOMMENDED_PAYLOAD, /\{\{/);
    const rendered = renderPayload(DATADOG_RECOMMENDED_PAYLOAD, vars('hello "quoted"\nnext line'));
    assert.doesNotMatch(rendered, /\$[A-Z]/);
    assert.equal((JSON.parse(rendered) as { text_only_msg: string }).text_only_msg, 'hello "quoted"\nnext line');
  });

  it('a log monitor alert: type, message, stack frames, service, version, commit, env, trace and span ids', () => {
    const message = `Checkout errors above threshold @webhook-tracefix\n\n${renderMonitorMessage(DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK, logValues)}`;
    const raw = renderPayload(DATADOG_RECOMMENDED_PAYLOAD, vars(message));
    const alert = expectAlert(parseDatadogDelivery(delivery(raw, JSON_TYPE)));
    assert.equal(alert.deliveryId, '7301946612001234567');
    assert.equal(alert.kind, 'log_alert_monitor.triggered');
    assert.equal(alert.title, '[Triggered on {service:checkout}] Errors in checkout');
    assert.equal(alert.errorType, 'TypeError');
    assert.equal(alert.message, "Cannot read properties of undefined (reading 'price')");
    assert.equal(alert.frames.length, 5);
    assert.deepEqual(alert.frames.at(-1), { function: 'lineTotal', file: '/app/src/cart/total.js', absPath: '/app/src/cart/total.js', line: 14, column: 32, inApp: true });
    assert.equal(alert.exceptions.at(-1)?.rawStack, NODE_STACK);
    assert.equal(alert.service, 'checkout');
    assert.equal(alert.release, '2f6b1c9');
    assert.equal(alert.commitSha, '2f6b1c9e4d3a5b7c8d9e0f1a2b3c4d5e6f7a8b9c');
    assert.equal(alert.environment, 'prod');
    assert.equal(alert.traceId, `0000000000000000${traceHex.slice(16)}`);
    assert.equal(alert.spanId, '00f067aa0ba902b7');
    assert.equal(alert.tags.team, 'payments');
    assert.equal(alert.link, 'https://app.datadoghq.com/event/event?id=7301946612001234567');
    assert.equal(alert.sourceRefs.monitor_id, '221164084');
    assert.equal(alert.sourceRefs.alert_cycle_key, '7301946611998877665');
  });

  it('an APM monitor alert with double-brace (HTML-escaped) values and a 32-hex trace id', () => {
    const values = {
      'span.attributes.[error.type]': 'KeyError',
      'span.attributes.[error.message]': "'sku_1'",
      'span.service': 'inventory',
      'span.tags.version': 'inventory@1.9.0',
      'span.env': 'staging',
      'span.tags.[git.commit.sha]': '',
      'span.trace_id': traceHex,
      'span.span_id': '00f067aa0ba902b7',
      'span.resource_name': 'GET /items/<id>',
      'span.attributes.[error.stack]': 'Traceback (most recent call last):\n  File "/srv/inv/app/stock.py", line 31, in reserve\n    item = self.items[sku]\nKeyError: \'sku_1\'',
    };
    const block = renderMonitorMessage(DATADOG_RECOMMENDED_APM_MONITOR_BLOCK.replaceAll('{{{', '{{').replaceAll('}}}', '}}'), values);
    assert.match(block, /&lt;id&gt;/);
    const alert = expectAlert(parseDatadogDelivery(delivery(renderPayload(DATADOG_RECOMMENDED_PAYLOAD, vars(block)), JSON_TYPE)));
    assert.equal(alert.errorType, 'KeyError');
    assert.equal(alert.message, "'sku_1'");
    assert.equal(alert.frames.at(-1)?.function, 'reserve');
    assert.equal(alert.frames.at(-1)?.line, 31);
    assert.equal(alert.service, 'inventory');
    assert.equal(alert.environment, 'staging');
    assert.equal(alert.release, 'inventory@1.9.0');
    assert.equal(alert.commitSha, undefined);
    assert.equal(alert.traceId, traceHex);
    assert.equal(alert.spanId, '00f067aa0ba902b7');
    assert.equal(alert.sourceRefs.resource, 'GET /items/<id>');
  });

  it('falls back to $TEXT_ONLY_MSG when $EVENT_MSG lacks the block', () => {
    const block = renderMonitorMessage(DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK, logValues);
    const body = { id: '1', title: '[Triggered] x', body: '%%%\nsee text\n%%%', text_only_msg: block };
    const alert = expectAlert(parseDatadogDelivery(delivery(body, JSON_TYPE)));
    assert.equal(alert.errorType, 'TypeError');
    assert.equal(alert.frames.length, 5);
  });
});

describe('parseTracefixBlock', () => {
  it('drops empty fields and strips code fences around the stack', () => {
    const block = parseTracefixBlock('intro\n[tracefix]\nerror.type: \nservice: api\nerror.stack:\n```\nError: x\n    at f (/a.js:1:1)\n```\n[/tracefix]\noutro');
    assert.deepEqual(block, { fields: { service: 'api' }, stack: 'Error: x\n    at f (/a.js:1:1)' });
    assert.equal(parseTracefixBlock('no block'), undefined);
  });
});

describe('datadog ids', () => {
  it('decimal lower-64 trace ids become zero-padded hex; the _dd.p.tid upper half completes them', () => {
    assert.equal(datadogTraceIdToHex('11803532876627986230'), '0000000000000000a3ce929d0e0e4736');
    assert.equal(datadogTraceIdToHex('11803532876627986230', '4bf92f3577b34da6'), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(datadogTraceIdToHex('4BF92F3577B34DA6A3CE929D0E0E4736'), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(datadogTraceIdToHex('0'), undefined);
    assert.equal(datadogTraceIdToHex('18446744073709551616'), undefined, 'above 2^64-1');
    assert.equal(datadogTraceIdToHex('not-an-id'), undefined);
    assert.equal(datadogTraceIdToHex(undefined), undefined);
  });
  it('span ids: decimal or hex → 16 hex', () => {
    assert.equal(datadogSpanIdToHex('67667974448284343'), '00f067aa0ba902b7');
    assert.equal(datadogSpanIdToHex('00F067AA0BA902B7'), '00f067aa0ba902b7');
    assert.equal(datadogSpanIdToHex(''), undefined);
  });
});
