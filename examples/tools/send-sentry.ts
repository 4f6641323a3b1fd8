// Sends a Sentry integration-platform webhook to tracefix the way Sentry does: the file's exact
// bytes, signed with your integration's Client Secret (HMAC-SHA256 of the body, hex, in
// Sentry-Hook-Signature), with Sentry-Hook-Resource, Sentry-Hook-Timestamp and a fresh Request-ID.
//
//   TRACEFIX_SENTRY_CLIENT_SECRET=<secret> node examples/tools/send-sentry.ts <sentry.json> [url]
//
// url defaults to http://127.0.0.1:8080/webhooks/sentry. Prints tracefix's answer; exit 0 on 2xx.
import { createHmac, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const [file, url = 'http://127.0.0.1:8080/webhooks/sentry'] = process.argv.slice(2);
const secret = process.env.TRACEFIX_SENTRY_CLIENT_SECRET;
if (!file || !secret) {
  process.stderr.write('usage: TRACEFIX_SENTRY_CLIENT_SECRET=<secret> node examples/tools/send-sentry.ts <sentry.json> [url]\n');
  process.exit(2);
}

const body = await readFile(file);
// event_alert (an alert rule's action), error (the `error` subscription) or issue, from the body.
const data = (JSON.parse(body.toString('utf8')) as { data?: Record<string, unknown> }).data ?? {};
const resource = 'issue' in data ? 'issue' : 'error' in data && !('triggered_rule' in data) ? 'error' : 'event_alert';
const res = await fetch(url, {
  method: 'POST',
  body,
  headers: {
    'content-type': 'application/json',
    'request-id': randomUUID(),
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': createHmac('sha256', secret).update(body).digest('hex'),
  },
});
process.stdout.write(`${res.status} ${await res.text()}\n`);
process.exit(res.ok ? 0 : 1);
