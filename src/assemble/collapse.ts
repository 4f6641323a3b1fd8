// Collapsing repeated log lines: "retrying job 41 after 200ms" ×1,322 becomes one template
// "retrying job <num> after <num>ms" with a count, first/last time and one sample (the occurrence
// closest to the error). Grouping runs on the raw lines, before redaction (a few regex passes per
// record); only the few surviving templates and samples are redacted later.
import type { LogRecord } from '../../schemas/telemetry.ts';
import { nsToMs } from './time.ts';

// Masks, applied in this order (earlier ones swallow text later ones would split: an email holds
// dots, a UUID holds hex and numbers, a timestamp holds numbers). Separate simple regexes, each
// behind a cheap guard, run 2–4× faster than one alternation tried at every position.
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const TIME = /\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?/g;
// Quoted literals; an opening quote right after a letter is an apostrophe ("can't"), not a quote.
const QUOTED = /(?<![\w'])'[^'\n]*'(?!\w)|(?<![\w"])"[^"\n]*"(?!\w)|`[^`\n]*`/g;
// 0x… or bare hex ids (SHAs, trace ids, ObjectIds): ≥ 8 chars with both a digit and a letter.
const HEX = /\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,})\b/gi;
/** A digit next to a hex letter: without one there is no hex id, and HEX need not run. */
const HEX_HINT = /[0-9][a-f]|[a-f][0-9]/i;
// Numbers not glued to the end of an identifier: "user42" stays, "42ms" → "<num>ms", an IPv4
// address or a clock time is one number.
const NUM = /(?<![A-Za-z_$\d])-?\d+(?:[.,:]\d+)*/g;

export function templateOf(body: string): string {
  let s = body;
  if (s.includes('@')) s = maskEmails(s);
  if (s.length >= 36 && s.includes('-')) s = s.replace(UUID, '<uuid>');
  if (s.length >= 16 && s.includes('-')) s = s.replace(TIME, '<time>');
  if (s.includes("'") || s.includes('"') || s.includes('`')) s = s.replace(QUOTED, '<str>');
  if (HEX_HINT.test(s)) s = s.replace(HEX, '<hex>');
  return s.replace(NUM, '<num>');
}

const isLocalChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 43 || c === 37 || c === 45;
const isDomainChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;

/** Emails → `<email>`, found from each '@' outwards: a regex tried at every position of every
 * line cost more than the rest of the templating on lines that contain an '@'. */
function maskEmails(s: string): string {
  let out = '';
  let copied = 0;
  for (let at = s.indexOf('@'); at !== -1; at = s.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && at - start < 64 && isLocalChar(s.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < s.length && isDomainChar(s.charCodeAt(end))) end++;
    while (end > at + 1 && s.charCodeAt(end - 1) === 46) end--; // a sentence's full stop
    const domain = s.slice(at + 1, end);
    if (start === at || !/^[\w-]+(?:\.[\w-]+)+$/.test(domain)) continue;
    out += `${s.slice(copied, start)}<email>`;
    copied = end;
    at = end - 1;
  }
  return copied === 0 ? s : out + s.slice(copied);
}

export interface LogGroup {
  template: string;
  service: string | undefined;
  severityNumber: number;
  count: number;
  firstNs: string;
  lastNs: string;
  firstMs: number;
  lastMs: number;
  /** The occurrence closest in time to the error. */
  sample: LogRecord;
  sampleMs: number;
}

export function logService(record: Pick<LogRecord, 'service' | 'resource'>): string | undefined {
  if (record.service !== undefined) return record.service;
  const fromResource = record.resource['service.name'];
  return typeof fromResource === 'string' ? fromResource : undefined;
}

/** Groups records by service + severity bucket + template. Output order: by sample time.
 * Nested maps, not one concatenated key: building a key string per record cost more than the
 * templating itself on 100k records. */
export function collapseLogs(records: readonly LogRecord[], errorMs: number): LogGroup[] {
  // service → severity bucket → template → group
  const byService = new Map<string | undefined, Map<string, LogGroup>[]>();
  const all: LogGroup[] = [];
  for (const record of records) {
    const service = logService(record);
    let buckets = byService.get(service);
    if (!buckets) {
      buckets = [];
      byService.set(service, buckets);
    }
    const bucket = severityBucket(record.severityNumber);
    let groups = buckets[bucket];
    if (!groups) {
      groups = new Map();
      buckets[bucket] = groups;
    }
    const template = templateOf(record.body.length > 4096 ? record.body.slice(0, 4096) : record.body);
    const ms = nsToMs(record.timeUnixNano);
    const group = groups.get(template);
    if (!group) {
      const created: LogGroup = {
        template, service, severityNumber: record.severityNumber, count: 1,
        firstNs: record.timeUnixNano, lastNs: record.timeUnixNano, firstMs: ms, lastMs: ms, sample: record, sampleMs: ms,
      };
      groups.set(template, created);
      all.push(created);
      continue;
    }
    group.count++;
    if (ms < group.firstMs) {
      group.firstMs = ms;
      group.firstNs = record.timeUnixNano;
    }
    if (ms > group.lastMs) {
      group.lastMs = ms;
      group.lastNs = record.timeUnixNano;
    }
    // Ties keep the earlier record, so the result does not depend on input order.
    const d = Math.abs(ms - errorMs);
    const best = Math.abs(group.sampleMs - errorMs);
    if (d < best || (d === best && ms < group.sampleMs)) {
      group.sample = record;
      group.sampleMs = ms;
      group.severityNumber = record.severityNumber;
    }
  }
  // Every tie broken, so the order never depends on the input order.
  return all.sort(
    (a, b) =>
      a.sampleMs - b.sampleMs ||
      cmp(a.template, b.template) ||
      severityBucket(a.severityNumber) - severityBucket(b.severityNumber) ||
      cmp(a.service ?? '', b.service ?? ''),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** OTLP severity ranges: 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL. */
export function severityBucket(n: number): number {
  return n <= 0 ? 0 : Math.min(6, Math.ceil(n / 4));
}

const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export function severityName(record: Pick<LogRecord, 'severityNumber' | 'severityText'>): string {
  return (record.severityText?.trim() || SEVERITY_NAMES[severityBucket(record.severityNumber)] || 'UNSPECIFIED').slice(0, 16);
}
