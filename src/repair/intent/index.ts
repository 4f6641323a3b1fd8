// The intent gate and the confidence of a proposal. Before a candidate is validated in the
// sandbox, each file it changes is compared with what the changed function's own text says it
// should do (contract.ts, judge.ts): a candidate that contradicts the contract mechanically is
// rejected at once with the reason (no sandbox time spent); every other one carries its judgement
// to selection (agreement ranks first) and to the proposal's confidence.
import type { Candidate, Confidence, IntentJudgement, Reproduction } from '../../../schemas/run.ts';
import { unifiedDiff } from '../templates/unified-diff.ts';
import { contractOf, type Contract } from './contract.ts';
import { functionAt } from './function-source.ts';
import { AGREEMENT_ORDER, judge, type Agreement } from './judge.ts';

export { contractOf, type Contract } from './contract.ts';
export { functionAt, type FunctionSource } from './function-source.ts';
export { judge, introducedValues, AGREEMENT_ORDER, type Agreement, type Judgement } from './judge.ts';

const SOURCE = /\.(py|[cm]?[jt]sx?)$/;

/** First changed line of `before` in a unified diff (1-based), or undefined. */
function firstChangedLine(diff: string): number | undefined {
  const lines = diff.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(lines[i] as string);
    if (!h) continue;
    let n = Number(h[1]);
    for (let j = i + 1; j < lines.length && !(lines[j] as string).startsWith('@@'); j++) {
      const l = lines[j] as string;
      if (l.startsWith('-') || l.startsWith('+')) return Math.max(1, l.startsWith('+') ? n - 1 : n);
      n++;
    }
  }
  return undefined;
}

/**
 * The judgement of a patch: per changed source file, the function around the first change and
 * its contract, judged; the worst file decides. Undefined when no changed function is found.
 */
export function judgePatch(files: ReadonlyMap<string, string>, originals: ReadonlyMap<string, string | undefined>): (IntentJudgement & { contracts: Contract[] }) | undefined {
  let worst: Agreement | undefined;
  const reasons: string[] = [];
  const values: string[] = [];
  const contracts: Contract[] = [];
  for (const [file, after] of files) {
    const before = originals.get(file);
    if (before === undefined || !SOURCE.test(file)) continue;
    const diff = unifiedDiff(file, before, after, 0);
    const line = firstChangedLine(diff);
    const fn = line ? functionAt(before, file, line) : undefined;
    if (!fn) continue;
    const contract = contractOf(fn);
    contracts.push(contract);
    const j = judge(diff, contract);
    reasons.push(...j.reasons.map((r) => `${fn.name}: ${r}`));
    values.push(...j.values);
    if (worst === undefined || AGREEMENT_ORDER.indexOf(j.agreement) > AGREEMENT_ORDER.indexOf(worst)) worst = j.agreement;
  }
  if (!worst) return undefined;
  return { agreement: worst, reasons: reasons.slice(0, 10).map((r) => r.slice(0, 500)), values: values.slice(0, 10).map((v) => v.slice(0, 200)), contracts };
}

export interface ConfidenceInput {
  candidate: Candidate;
  reproduction: Reproduction;
  /** From the behaviour preservation gate, when it ran. */
  preservation?: { inputs: number; changedOutsideFailure: number };
}

/**
 * High only when the contract implies the change and behaviour is shown preserved outside the
 * failing input class; low when a value was guessed or contradicts what the code says; medium
 * otherwise. Every cap is given as a reason: never more certain in words than the evidence.
 */
export function confidenceOf(input: ConfidenceInput): Confidence {
  const { candidate, reproduction } = input;
  const reasons: string[] = [];
  const intent = candidate.intent;
  let level: Confidence['level'];
  switch (intent?.agreement) {
    case 'implied':
      level = 'high';
      reasons.push(`the change is implied by the function's contract (${intent.reasons[0] ?? 'its doc'})`);
      break;
    case 'consistent':
      level = 'medium';
      reasons.push(`the value it returns is what the function already returns elsewhere (${intent.reasons[0] ?? ''}), but no doc statement names it for this case`);
      break;
    case 'no-value':
      level = 'medium';
      reasons.push('the patch chooses no value of its own; the contract neither confirms nor contradicts it');
      break;
    case 'silent':
      level = 'low';
      reasons.push(`a value was guessed: ${intent.reasons[0] ?? 'the contract is silent'}`);
      break;
    case 'disagrees':
    case 'contradicts':
      level = 'low';
      reasons.push(`the patch disagrees with the function's contract: ${intent.reasons[0] ?? ''}`);
      break;
    default:
      level = 'low';
      reasons.push('no contract could be read for the changed code (no function found around the change)');
  }
  const cap = (to: Confidence['level'], why: string) => {
    reasons.push(why);
    if (level === 'high' || (level === 'medium' && to === 'low')) level = to;
  };
  const measured = candidate.preservation && !candidate.preservation.error ? { inputs: candidate.preservation.unchanged, changedOutsideFailure: candidate.preservation.changedOutside } : undefined;
  const preservation = input.preservation ?? measured;
  if (preservation && preservation.inputs > 0) {
    if (preservation.changedOutsideFailure > 0) cap('low', `behaviour changed on ${preservation.changedOutsideFailure} input(s) where the original did not fail`);
    else reasons.push(`behaviour unchanged on ${preservation.inputs} inputs; changed only where production failed`);
  } else if (level === 'high') cap('medium', 'behaviour outside the failing input was not compared (no preservation evidence), so not high');
  const sensitivity = candidate.checks.find((c) => c.name === 'sensitivity');
  if (!sensitivity?.ok) cap('medium', 'the reproduction was not shown to fail again with the patch reverted');
  // A value-search candidate: its expression was fitted to the values that made the failing test
  // pass on the evaluations recorded, which is all the evidence says about it.
  if (candidate.description.startsWith('value-search:')) {
    cap(
      intent?.agreement === 'implied' ? 'medium' : 'low',
      'the expression was synthesized from a value search: it gives the values with which the failing test passed on the evaluations recorded, and keeps the passing tests\' values; nothing else shows it is the intended expression',
    );
  }
  const searched = reproduction.attempts.at(-1)?.arguments?.filter((a) => a.searched) ?? [];
  if (searched.length) cap('medium', `the reproduction's inputs ${searched.map((a) => a.name).join(', ')} were searched, not recorded in production`);
  return { level, reasons: reasons.map((r) => r.slice(0, 500)) };
}

const LEVELS: Confidence['level'][] = ['low', 'medium', 'high'];

/** Whether `level` reaches `min` (publish.minConfidence): below it, a person must approve. */
export function meetsConfidence(level: Confidence['level'], min: Confidence['level']): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(min);
}
