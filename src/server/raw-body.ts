// Webhook signatures are over the exact bytes sent. Bodies are kept as Buffers and parsed only
// after verification: re-serializing parsed JSON changes non-ASCII text and floats and breaks the
// HMAC (getsentry/sentry#38443, octokit/webhooks.js#76).
import type { FastifyInstance } from 'fastify';

export const RAW_BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

export function acceptRawBodies(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(RAW_BODY_TYPES, { parseAs: 'buffer', bodyLimit }, (_req, body, done) => {
    done(null, body);
  });
}
