// JUnit XML (node:test's junit reporter, pytest --junitxml) → flat test cases that keep the chain of
// enclosing <testsuite> names, which node:test uses for describe() nesting.
import { XMLParser } from 'fast-xml-parser';

export interface JUnitOutcome {
  message: string;
  type?: string;
  text: string;
}

export interface JUnitCase {
  name: string;
  classname?: string;
  file?: string;
  line?: number;
  timeSeconds: number;
  /** Names of the enclosing <testsuite> elements, outermost first. */
  suites: string[];
  failure?: JUnitOutcome;
  error?: JUnitOutcome;
  skipped?: JUnitOutcome;
}

const ARRAYS = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  textNodeName: '#text',
  isArray: (name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute && ARRAYS.has(name),
});

type Node = Record<string, unknown>;

function attr(node: Node, name: string): string | undefined {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

function outcome(node: Node, key: string): JUnitOutcome | undefined {
  const list = node[key];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const first = list[0] as Node | string;
  if (typeof first === 'string') return { message: '', text: first };
  const type = attr(first, 'type');
  return {
    message: attr(first, 'message') ?? '',
    ...(type ? { type } : {}),
    text: typeof first['#text'] === 'string' ? first['#text'] : '',
  };
}

function walk(node: Node, suites: string[], out: JUnitCase[]): void {
  for (const tc of (node['testcase'] as Node[] | undefined) ?? []) {
    const line = Number(attr(tc, 'line'));
    const failure = outcome(tc, 'failure');
    const error = outcome(tc, 'error');
    const skipped = outcome(tc, 'skipped');
    const classname = attr(tc, 'classname');
    const file = attr(tc, 'file');
    out.push({
      name: attr(tc, 'name') ?? '',
      ...(classname !== undefined ? { classname } : {}),
      ...(file !== undefined ? { file } : {}),
      ...(Number.isFinite(line) && line > 0 ? { line } : {}),
      timeSeconds: Number(attr(tc, 'time')) || 0,
      suites,
      ...(failure ? { failure } : {}),
      ...(error ? { error } : {}),
      ...(skipped ? { skipped } : {}),
    });
  }
  for (const ts of (node['testsuite'] as Node[] | undefined) ?? []) {
    walk(ts, [...suites, attr(ts, 'name') ?? ''], out);
  }
}

/** Throws on XML that is not well formed (a report cut off by a timeout). */
export function parseJUnit(xml: string): JUnitCase[] {
  const doc = parser.parse(xml, true) as Node;
  const out: JUnitCase[] = [];
  const root = doc['testsuites'] as Node | undefined;
  if (root && typeof root === 'object') {
    walk(root, [], out);
  } else {
    // A bare <testsuite> root: its name is the report's, not a describe block.
    for (const ts of (doc['testsuite'] as Node[] | undefined) ?? []) walk(ts, [], out);
  }
  return out;
}
