// What a human-written GitHub issue can tell us about a failure: `key: value` lines (trace id,
// traceparent, release, commit, environment, service) and a pasted stack trace, fenced or not.
import type { ExceptionValue } from '../../../schemas/alert.ts';
import { asCommitSha, commitFromRelease, normalizeSpanId, normalizeTraceId } from '../../evidence/ids.ts';
import { parseStackText } from '../../evidence/stack-text.ts';

export interface IssueBodyFacts {
  traceId?: string;
  spanId?: string;
  release?: string;
  commitSha?: string;
  environment?: string;
  service?: string;
  /** Parsed from the first fenced block holding a stack, else from the whole body; oldest first. */
  exceptions: ExceptionValue[];
  /** The failing request, from a request line (`GET /orders?limit=0`): the reproduction's input search reads it. */
  request?: { method: string; url: string; query?: string };
}

/** `GET /orders?limit=0`, `- **Request:** \`POST /carts/42/checkout\``, `request: GET https://shop/x?y=1 HTTP/1.1`. */
const REQUEST_LINE = /^[ \t]*(?:[-*+>][ \t]+)?(?:(?:\*\*|__)?(?:failing[ \t]+)?request(?:[ \t]+line)?[ \t]*:?(?:\*\*|__)?[ \t]*:?[ \t]*)?`?(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]+((?:https?:\/\/[^\s/`]+)?\/[^\s`]{0,2000})/im;

function requestLine(body: string): IssueBodyFacts['request'] {
  const m = REQUEST_LINE.exec(body);
  if (!m?.[1] || !m[2]) return undefined;
  const target = m[2].replace(/[.,;)]+$/, '');
  const q = target.indexOf('?');
  return { method: m[1].toUpperCase(), url: target, ...(q >= 0 && q < target.length - 1 ? { query: target.slice(q + 1) } : {}) };
}

/** `- **Trace ID:** \`4bf9…\``, `trace_id = 4bf9…`, `traceparent: 00-…-…-01`, `commit: 2f6b1c9`. */
const FIELD =
  /^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?(trace[-_ ]?id|traceparent|release|version|commit(?:[-_ ]sha)?|sha|environment|env|service)(?:\*\*|__)?[ \t]*[:=][ \t]*(?:\*\*|__)?[ \t]*`?([^`\s]+)`?/gim;

export function readIssueBody(body: string): IssueBodyFacts {
  const facts: IssueBodyFacts = { exceptions: [] };
  for (const m of body.matchAll(FIELD)) {
    const key = (m[1] ?? '').toLowerCase().replace(/[-_ ]/g, '');
    const value = (m[2] ?? '').replace(/[.,;)]+$/, '');
    if (key === 'traceid') facts.traceId ??= normalizeTraceId(value);
    else if (key === 'traceparent') {
      // W3C traceparent: version-traceid-parentid-flags.
      const tp = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/i.exec(value);
      if (tp) {
        facts.traceId ??= normalizeTraceId(tp[1]);
        facts.spanId ??= normalizeSpanId(tp[2]);
      }
    } else if (key === 'release' || key === 'version') facts.release ??= value;
    else if (key === 'commit' || key === 'commitsha' || key === 'sha') facts.commitSha ??= asCommitSha(value);
    else if (key === 'environment' || key === 'env') facts.environment ??= value;
    else if (key === 'service') facts.service ??= value;
  }
  facts.commitSha ??= commitFromRelease(facts.release);
  const request = requestLine(body);
  if (request) facts.request = request;
  for (const block of fencedBlocks(body)) {
    const exceptions = parseStackText(block);
    if (exceptions.length > 0) {
      facts.exceptions = exceptions;
      break;
    }
  }
  if (facts.exceptions.length === 0) facts.exceptions = parseStackText(body);
  for (const key of Object.keys(facts) as (keyof IssueBodyFacts)[]) if (facts[key] === undefined) delete facts[key];
  return facts;
}

/** Contents of markdown code fences (``` or ~~~), in order. A line scan rather than a lazy
 * regex with a backreference, which is quadratic on bodies full of unclosed fences. */
export function fencedBlocks(body: string): string[] {
  const blocks: string[] = [];
  let open: { marker: string; lines: string[] } | undefined;
  for (const line of body.split(/\r?\n/)) {
    const fence = /^[ \t]*(`{3,}|~{3,})/.exec(line)?.[1];
    if (!open) {
      if (fence) open = { marker: fence, lines: [] };
    } else if (fence && fence[0] === open.marker[0] && fence.length >= open.marker.length && line.trim() === fence) {
      blocks.push(open.lines.join('\n'));
      open = undefined;
    } else {
      open.lines.push(line);
    }
  }
  return blocks;
}
