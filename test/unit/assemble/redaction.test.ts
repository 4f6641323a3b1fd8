// Redaction: payloads full of PII and secrets in every place telemetry can put them; no original
// value may appear anywhere in the canonical JSON, equal values share a pseudonym, counts are
// per kind, and digit runs that fail Luhn are left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactEverywhere } from '../../../src/assemble/redact-bundle.ts';
import { Redactor } from '../../../src/assemble/redactor.ts';
import { isCardNumber, luhnValid, secretKeyKind } from '../../../src/assemble/redact-patterns.ts';
import { assemble, KEY, log, ns, options, pythonAlert, span, spanId, T0_MS, TRACE_ID } from './helpers.ts';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiZW1haWwiOiJhbGljZUBleGFtcGxlLmNvbSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const SECRETS = {
  email: 'alice@example.com',
  email2: 'bob.smith+shop@corp.example.org',
  ipv4: '203.0.113.77',
  ipv6: '2001:db8:85a3::8a2e:370:7334',
  jwt: JWT,
  openai: 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z',
  github: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  githubOauth: 'gho_16C7e42F292c6912E7710c838347Ae178B4b',
  githubPat: 'github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz0123456789',
  slack: 'xoxb-2048-1234567890-AbCdEfGhIjKlMnOp',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  gitlab: 'glpat-x1y2z3a4b5c6d7e8f9g0',
  card: '4111111111111111',
  cardSpaced: '5500 0000 0000 0004',
  cardNumber: 378282246310005,
  bearer: 'tok_9f8e7d6c5b4a39281706',
  cookie: 'sid=s%3A8f7e6d5c4b3a2918',
  password: 'hunter2-Correct-Horse',
  apiKeyHeader: 'key-Zq8Xw7Vu6Ts5Rq4P',
  dsnKey: '0123456789abcdef0123456789abcdef',
  urlPassword: 'S3cr3tP4ss',
  session: 'sess-77aa88bb99cc',
  employee: 'EMP-204812',
  forwardedFor: '198.51.100.23',
  generic: 'Zx8Kq2Lm9Pw4Rt7Yb3Nc',
};
const DSN = `https://${SECRETS.dsnKey}@o447951.ingest.sentry.io/5428557`;

function piiAlert() {
  const base = pythonAlert({ traceId: TRACE_ID });
  return {
    ...base,
    title: `Login failed for ${SECRETS.email}`,
    message: `Login failed for ${SECRETS.email} from ${SECRETS.ipv4} with token ${SECRETS.jwt} (card ${SECRETS.card})`,
    repoHint: `https://x-access-token:${SECRETS.github}@github.com/acme/shop.git`,
    link: `https://sentry.example.com/issues/1/?token=${SECRETS.session}`,
    exceptions: [],
    frames: [
      {
        file: 'app/login.py', function: 'login', line: 42, inApp: true,
        contextLine: `    password = "${SECRETS.password}"  # from ${SECRETS.email2}`,
        preContext: [`    client = Client(dsn="${DSN}")`, `    headers = {"Authorization": "Bearer ${SECRETS.bearer}"}`],
        postContext: [`    aws_key = "${SECRETS.aws}"`],
        vars: {
          user: { email: SECRETS.email, ip: SECRETS.ipv6, [SECRETS.email2]: 'owner' },
          password: SECRETS.password,
          api_key: SECRETS.openai,
          card: SECRETS.cardSpaced,
          card_number: SECRETS.cardNumber,
          headers: { Authorization: `Bearer ${SECRETS.bearer}`, Cookie: SECRETS.cookie, 'X-Api-Key': SECRETS.apiKeyHeader },
          db_url: `postgres://admin:${SECRETS.urlPassword}@db.internal:5432/app`,
          tokens: [SECRETS.github, SECRETS.githubOauth, SECRETS.githubPat, SECRETS.slack, SECRETS.gitlab],
          note: `employee ${SECRETS.employee} signing_key=${SECRETS.generic}`,
          not_a_card: '4111111111111112',
          order_total: 1234567890123,
        },
      },
    ],
    request: {
      method: 'POST',
      url: `https://bob:${SECRETS.urlPassword}@shop.example.com/login?email=alice%40example.com&session_id=${SECRETS.session}`,
      query: `email=alice%40example.com&token=${SECRETS.session}`,
      headers: {
        Authorization: `Bearer ${SECRETS.bearer}`, Cookie: SECRETS.cookie, 'Set-Cookie': `${SECRETS.cookie}; HttpOnly`,
        'X-Api-Key': SECRETS.apiKeyHeader, 'X-Forwarded-For': SECRETS.forwardedFor, 'User-Agent': `bot (${SECRETS.email})`,
      },
      data: { email: SECRETS.email, password: SECRETS.password, card: SECRETS.card, nested: { jwt: SECRETS.jwt } },
    },
    tags: { 'user.email': SECRETS.email, client_ip: SECRETS.ipv4 },
  };
}

function piiSpans() {
  const root = spanId();
  const err = spanId();
  return [
    span({
      spanId: root, kind: 2, name: `POST /login ${SECRETS.email}`,
      attributes: {
        'http.request.method': 'POST',
        'url.full': `https://bob:${SECRETS.urlPassword}@shop.example.com/login?token=${SECRETS.session}`,
        'url.query': `email=${SECRETS.email}&password=${SECRETS.password}`,
        'http.request.header.authorization': [`Bearer ${SECRETS.bearer}`],
        'http.request.header.cookie': [SECRETS.cookie],
        'http.request.header.x-forwarded-for': [SECRETS.forwardedFor],
        'user_agent.original': `Mozilla/5.0 (${SECRETS.ipv4})`,
        'feature_flag.beta_for_alice@example.com': true,
      },
      resource: { 'service.name': 'checkout', 'vcs.repository.url.full': `https://ci:${SECRETS.urlPassword}@git.example.com/acme/shop` },
    }),
    span({
      spanId: err, parentSpanId: root, statusCode: 2, name: 'db.login', statusMessage: `connection from ${SECRETS.ipv4} refused for ${SECRETS.email}`,
      attributes: {
        'db.statement': `SELECT * FROM users WHERE email = '${SECRETS.email}' AND card = '${SECRETS.card}'`,
        'http.request.header.x-api-key': SECRETS.apiKeyHeader,
        [`http.${SECRETS.email}`]: 'key with an email',
      },
      events: [{ name: 'exception', timeUnixNano: ns(T0_MS + 1), attributes: { 'exception.message': `bad token ${SECRETS.jwt}`, 'exception.type': 'AuthError' } }],
    }),
    span({ spanId: spanId(), parentSpanId: err, name: `cache ${SECRETS.ipv6}`, attributes: { 'server.address': SECRETS.ipv4 } }),
  ];
}

function piiLogs() {
  return [
    log({ traceId: TRACE_ID, body: `user ${SECRETS.email} logged in from ${SECRETS.ipv4}`, attributes: { 'http.request.header.authorization': `Bearer ${SECRETS.bearer}` } }),
    log({ traceId: TRACE_ID, body: `Authorization: Bearer ${SECRETS.jwt}`, timeUnixNano: ns(T0_MS + 1) }),
    log({ traceId: TRACE_ID, body: `Cookie: ${SECRETS.cookie}`, timeUnixNano: ns(T0_MS + 2) }),
    log({ traceId: TRACE_ID, body: `retry with password=${SECRETS.password}&api_key=${SECRETS.openai}`, timeUnixNano: ns(T0_MS + 3) }),
    log({ body: `charging card ${SECRETS.card} for ${SECRETS.email2} (dsn ${DSN})`, timeUnixNano: ns(T0_MS + 1000) }),
    log({ body: `aws ${SECRETS.aws} gh ${SECRETS.githubPat} slack ${SECRETS.slack} from ${SECRETS.ipv6}`, timeUnixNano: ns(T0_MS + 2000) }),
    log({ body: `employee ${SECRETS.employee} ok, order 4111111111111112 ts 1751371380000000000`, timeUnixNano: ns(T0_MS + 3000) }),
  ];
}

test('no original secret or PII value appears anywhere in the canonical JSON', async () => {
  const { bundle, canonicalJson } = await assemble({
    alerts: [piiAlert()],
    spans: piiSpans(),
    logs: piiLogs(),
    options: options({
      redaction: {
        key: KEY,
        extraPatterns: [{ name: 'employee_id', regex: /EMP-\d{6}/ }],
        denyAttributes: ['http.request.header.x-forwarded-*'],
      },
    }),
  });
  const originals = [
    ...Object.values(SECRETS).map(String),
    'alice%40example.com', 'hunter2', 'S3cr3tP4ss', '5500000000000004', '378282246310005', 'bob:S3cr3tP4ss', 'x-access-token',
    // Pieces that would still identify: the JWT payload, the DSN host key.
    JWT.split('.')[1] as string,
  ];
  for (const original of originals) assert.ok(!canonicalJson.includes(original), `leaked: ${original}`);
  // Not over-redacted: Luhn-invalid digits, the non-card order total and structure stay.
  assert.ok(canonicalJson.includes('4111111111111112'));
  assert.equal(bundle.exception.frames[0]?.locals?.order_total, 1234567890123);
  assert.equal(bundle.trace.errorSpan?.name, 'db.login');
  assert.equal(bundle.repro.request?.method, 'POST');

  const counts = bundle.redaction.counts;
  for (const kind of ['email', 'ipv4', 'ipv6', 'jwt', 'api_key', 'bearer', 'card', 'cookie', 'authorization', 'secret', 'url_credentials', 'dsn', 'denied_attribute', 'employee_id']) {
    assert.ok((counts[kind] ?? 0) > 0, `no ${kind} counted: ${JSON.stringify(counts)}`);
  }
  assert.equal(bundle.redaction.total, Object.values(counts).reduce((a, b) => a + b, 0));
  assert.ok(!JSON.stringify(bundle.redaction).includes('example'), 'the redaction section holds no values');
});

test('the same value maps to the same pseudonym everywhere in one incident, and differently in another', async () => {
  const alert = piiAlert();
  const { canonicalJson } = await assemble({ alerts: [alert], spans: piiSpans(), logs: piiLogs() });
  const pseudo = new Redactor({ key: KEY }, 'inc_test');
  const email = pseudo.text(SECRETS.email);
  assert.match(email, /^email-[0-9a-f]{8}@redacted\.invalid$/);
  assert.equal(pseudo.text('alice%40example.com'), email, 'URL-encoded form is the same person');
  assert.equal(pseudo.text('Alice@Example.COM'), email);
  // In the message, the locals, the log lines, the span attributes and the request.
  const occurrences = canonicalJson.split(email).length - 1;
  assert.ok(occurrences >= 6, `email pseudonym seen ${occurrences} times`);
  const ip = pseudo.text(SECRETS.ipv4);
  assert.match(ip, /^<ipv4:[0-9a-f]{8}>$/);
  assert.ok(canonicalJson.split(ip).length - 1 >= 3);

  const other = new Redactor({ key: KEY }, 'inc_other');
  assert.notEqual(other.text(SECRETS.email), email, 'pseudonyms are scoped to the incident');
  const otherKey = new Redactor({ key: Buffer.alloc(32, 1) }, 'inc_test');
  assert.notEqual(otherKey.text(SECRETS.email), email, 'and depend on the key');
});

test('counts per kind are exact on a small payload', async () => {
  const alert = pythonAlert({
    title: 'Error',
    message: `mail ${SECRETS.email} and again ${SECRETS.email} from ${SECRETS.ipv4}`,
    exceptions: [],
    frames: [{ file: 'a.py', function: 'f', inApp: true, vars: { password: 'x1', token: SECRETS.jwt, card: SECRETS.card, fine: 'hello' } }],
    tags: {},
    environment: undefined,
  });
  const { bundle } = await assemble({ alerts: [alert] });
  assert.deepEqual(bundle.redaction.counts, { card: 1, email: 2, ipv4: 1, secret: 2 });
  assert.equal(bundle.redaction.total, 6);
  assert.deepEqual(Object.keys(bundle.exception.frames[0]?.locals ?? {}), ['password', 'token', 'card', 'fine']);
  assert.equal(bundle.exception.frames[0]?.locals?.fine, 'hello');
});

test('text detectors: each kind, idempotence, and what must stay', () => {
  const r = new Redactor({ key: KEY }, 'inc_x');
  const cases: [string, RegExp][] = [
    [`Authorization: Bearer ${SECRETS.bearer}`, /^Authorization: Bearer <bearer:[0-9a-f]{8}>$/],
    [`Bearer ${JWT}`, /^Bearer <jwt:[0-9a-f]{8}>$/],
    [`dsn=${DSN}`, /^dsn=<dsn:[0-9a-f]{8}>$/],
    [`https://bob:${SECRETS.urlPassword}@host/x`, /^https:\/\/<url_credentials:[0-9a-f]{8}>@host\/x$/],
    [`Set-Cookie: ${SECRETS.cookie}; Path=/`, /^Set-Cookie: <cookie:[0-9a-f]{8}>$/],
    [`{"password": "${SECRETS.password}"}`, /^\{"password": "<secret:[0-9a-f]{8}>"\}$/],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', /^<private_key:[0-9a-f]{8}>$/],
  ];
  for (const [input, expected] of cases) {
    const out = r.text(input);
    assert.match(out, expected, input);
    assert.equal(r.text(out), out, `idempotent: ${out}`);
  }
  const untouched = [
    'Basic authentication failed', 'max_tokens=4000 author=bob', 'connect 127.0.0.1:5432 and ::1', 'at 12:03:45 in std::vector',
    'order 4111111111111112', 'epoch 1751371380000000000', 'version 10.14.0', 'cache_key=user_profile', 'email-1a2b3c4d@redacted.invalid',
  ];
  for (const text of untouched) assert.equal(r.text(text), text);
});

test('Luhn and card shape', () => {
  assert.equal(luhnValid('4111111111111111'), true);
  assert.equal(luhnValid('4111111111111112'), false);
  assert.equal(isCardNumber('378282246310005'), true, 'Amex, 15 digits');
  assert.equal(isCardNumber('1751371380000000007'), false, 'epoch-like digit runs are not cards even when Luhn passes');
  assert.equal(isCardNumber('411111111111'), false, 'too short');
});

test('secret-looking names', () => {
  for (const name of ['password', 'userPassword', 'x-api-key', 'api_key', 'AWS_SECRET_ACCESS_KEY', 'sessionId', 'set-cookie', 'http.request.header.authorization', 'csrf_token', 'client_secret']) {
    assert.notEqual(secretKeyKind(name), null, name);
  }
  for (const name of ['author', 'max_tokens', 'tokens_used', 'keyboard', 'passage', 'email', 'user_id']) assert.equal(secretKeyKind(name), null, name);
  assert.equal(secretKeyKind('Cookie'), 'cookie');
  assert.equal(secretKeyKind('Proxy-Authorization'), 'authorization');
});

test('configured extra patterns (regex source strings too) and the attribute deny list', () => {
  const r = new Redactor({ key: KEY, extraPatterns: [{ name: 'order_id', regex: 'ORD-\\d{6}' }], denyAttributes: ['enduser.*', 'http.request.header.x-real-ip'] }, 'inc');
  assert.match(r.text('order ORD-123456 shipped'), /^order <order_id:[0-9a-f]{8}> shipped$/);
  assert.equal(r.attribute('enduser.id', 'u-1', 100), '<denied>');
  assert.equal(r.attribute('http.request.header.x-real-ip', '10.0.0.1', 100), '<denied>');
  assert.equal(r.attribute('http.route', '/x', 100), '/x');
  assert.deepEqual(r.counts(), { denied_attribute: 2, order_id: 1 });
});

test('pathological text stays linear: 60k-char runs that almost match do not hang the redactor', () => {
  const r = new Redactor({ key: KEY }, 'inc');
  const inputs = [
    `${'a'.repeat(60_000)} x@y.com`,
    `${'a.'.repeat(30_000)} password=x key=y`,
    `${'a'.repeat(60_000)} http://x`,
    '1:'.repeat(30_000),
    `${'Bearer '.repeat(5_000)}x`,
  ];
  for (const input of inputs) {
    const started = performance.now();
    r.text(input);
    assert.ok(performance.now() - started < 1000, `slow on ${input.slice(0, 20)}…`);
  }
});

test('the final pass redacts every string and key, skipping only schema identifiers', () => {
  const r = new Redactor({ key: KEY }, 'inc');
  const out = redactEverywhere(
    {
      spanId: '4111111111111111', // digit-only ids are ids, not cards
      time: '2025-07-01T12:03:00.000000000Z',
      attributes: { id: SECRETS.email, time: SECRETS.ipv4, [SECRETS.email2]: 1 },
      note: [`ping ${SECRETS.ipv4}`],
    },
    r,
  );
  assert.equal(out.spanId, '4111111111111111');
  // The backstop never grows a value past what its section capped (a longer pseudonym is cut):
  // here the original is gone, which is all it promises.
  assert.ok(!String(out.attributes.id).includes('alice'));
  assert.match(String(out.attributes.time), /^<ipv4:[0-9a-f]{8}>$/);
  assert.ok(!JSON.stringify(out).includes(SECRETS.email2));
  assert.ok(!(out.note[0] ?? '').includes(SECRETS.ipv4));
  // A value long enough to hold the pseudonym gets it whole.
  const long = redactEverywhere({ note: `ping ${SECRETS.ipv4} ${'.'.repeat(20)}` }, r);
  assert.match(long.note, /^ping <ipv4:[0-9a-f]{8}> /);
});
