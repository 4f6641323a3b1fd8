// Webhook authentication over raw bytes: Sentry and GitHub HMACs, Sentry timestamp staleness,
// Datadog's shared token. Expected HMACs were computed with Python's hmac module, not with the
// code under test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authenticateDatadog } from '../../../src/intake/datadog/auth.ts';
import { verifyGithubSignature } from '../../../src/intake/github/signature.ts';
import { isSentryTimestampStale, verifySentrySignature } from '../../../src/intake/sentry/signature.ts';
import { delivery } from './support.ts';

const SECRET = 'tracefix-sentry-client-secret';
// Exactly what Sentry's simplejson sends: ASCII with \u escapes, Python float reprs.
const PYTHON_BODY = Buffer.from(String.raw`{"title":"TypeError: caf\u00e9 \u2028","received":1566248777.0,"n":1e+16}`, 'utf8');
const PYTHON_SIG = 'a8ed822dad2c45374e61389d0571cd7e4fb3ccf6e185d51ce4eb1ad1aa4ed0a5';
const UTF8_BODY = Buffer.from('{"title":"TypeError: café","culprit":"naïve ☃"}', 'utf8');
const UTF8_SIG = '0489664b2e2434c22ccc226b32ae46a857dac18c66f896f1e34add366986b1ef';

describe('verifySentrySignature', () => {
  it('accepts the HMAC of the exact bytes, escaped or raw UTF-8', () => {
    assert.equal(verifySentrySignature(PYTHON_BODY, PYTHON_SIG, SECRET), true);
    assert.equal(verifySentrySignature(UTF8_BODY, UTF8_SIG, SECRET), true);
    assert.equal(verifySentrySignature(UTF8_BODY, UTF8_SIG.toUpperCase(), SECRET), true);
  });

  it('rejects the same JSON re-serialized (the JSON.stringify verifier bug)', () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(PYTHON_BODY.toString('utf8'))), 'utf8');
    assert.notDeepEqual(reserialized, PYTHON_BODY);
    assert.equal(verifySentrySignature(reserialized, PYTHON_SIG, SECRET), false);
    // Decoding UTF-8 as latin1 and re-encoding changes the bytes too.
    assert.equal(verifySentrySignature(Buffer.from(UTF8_BODY.toString('latin1'), 'utf8'), UTF8_SIG, SECRET), false);
  });

  it('rejects wrong secrets, prefixes, lengths, non-hex and missing values without throwing', () => {
    assert.equal(verifySentrySignature(PYTHON_BODY, PYTHON_SIG, 'other-secret'), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, `sha256=${PYTHON_SIG}`, SECRET), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, PYTHON_SIG.slice(0, 62), SECRET), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, `${PYTHON_SIG}00`, SECRET), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, `${PYTHON_SIG.slice(0, 63)}g`, SECRET), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, undefined, SECRET), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, '', SECRET), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, PYTHON_SIG, undefined), false);
    assert.equal(verifySentrySignature(PYTHON_BODY, PYTHON_SIG, ''), false);
  });
});

describe('isSentryTimestampStale', () => {
  const now = new Date('2026-01-02T03:04:05Z');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  it('allows a missing timestamp and a fresh one', () => {
    assert.equal(isSentryTimestampStale(undefined, 300, now), false);
    assert.equal(isSentryTimestampStale('', 300, now), false);
    assert.equal(isSentryTimestampStale(String(nowSeconds - 299), 300, now), false);
    assert.equal(isSentryTimestampStale(String(nowSeconds + 30), 300, now), false);
  });
  it('flags a too-old or malformed timestamp', () => {
    assert.equal(isSentryTimestampStale(String(nowSeconds - 301), 300, now), true);
    assert.equal(isSentryTimestampStale('1566248777', 300, now), true);
    assert.equal(isSentryTimestampStale('yesterday', 300, now), true);
    assert.equal(isSentryTimestampStale('1566248777.5', 300, now), true);
  });
});

describe('verifyGithubSignature', () => {
  it("passes GitHub's published test vector", () => {
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    assert.equal(verifyGithubSignature(Buffer.from('Hello, World!'), header, "It's a Secret to Everybody"), true);
  });
  it('rejects a missing prefix, a sha1 header, a changed body, bad hex and wrong lengths', () => {
    const hex = '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const secret = "It's a Secret to Everybody";
    const body = Buffer.from('Hello, World!');
    assert.equal(verifyGithubSignature(body, hex, secret), false);
    assert.equal(verifyGithubSignature(body, `sha1=${hex.slice(0, 40)}`, secret), false);
    assert.equal(verifyGithubSignature(Buffer.from('Hello, World?'), `sha256=${hex}`, secret), false);
    assert.equal(verifyGithubSignature(body, `sha256=${hex.slice(0, 63)}z`, secret), false);
    assert.equal(verifyGithubSignature(body, `sha256=${hex}ab`, secret), false);
    assert.equal(verifyGithubSignature(body, undefined, secret), false);
    assert.equal(verifyGithubSignature(body, `sha256=${hex}`, undefined), false);
  });
});

describe('authenticateDatadog', () => {
  const token = 'dd-webhook-token-6f1c';
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  it('accepts the token as a bearer, the X-Tracefix-Token header, or the basic-auth password', () => {
    assert.equal(authenticateDatadog(delivery('{}', { authorization: `Bearer ${token}` }), token), true);
    assert.equal(authenticateDatadog(delivery('{}', { 'x-tracefix-token': token }), token), true);
    assert.equal(authenticateDatadog(delivery('{}', { authorization: basic('datadog', token) }), token), true);
  });
  it('rejects a wrong or missing token, the token as basic-auth user, and an unconfigured server', () => {
    assert.equal(authenticateDatadog(delivery('{}', { authorization: 'Bearer nope' }), token), false);
    assert.equal(authenticateDatadog(delivery('{}', { 'x-tracefix-token': `${token}x` }), token), false);
    assert.equal(authenticateDatadog(delivery('{}', { authorization: basic(token, 'x') }), token), false);
    assert.equal(authenticateDatadog(delivery('{}', {}), token), false);
    assert.equal(authenticateDatadog(delivery('{}', { authorization: `Bearer ${token}` }), undefined), false);
  });
});
