// The budget's reservation arithmetic: every call reserves its worst case (prompt + the output it
// may produce) before it is made, the output cap sent is what the limits leave, and the first
// charge past a limit names it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Budget, createBudget, MIN_OUTPUT_TOKENS } from '../../../src/agent/budget.ts';
import { loadConfig } from '../../../src/config.ts';

const price = { inputPerMTok: 10, outputPerMTok: 30, source: 'configured' as const };

function budget(limits: Partial<{ maxTokens: number; maxCostUsd: number; timeoutMs: number }> = {}, clock = { now: 0 }) {
  return new Budget({ maxTokens: 100_000, maxCostUsd: 1, timeoutMs: 60_000, ...limits }, price, () => clock.now);
}

describe('Budget.reserve', () => {
  it('grants the wanted output when every limit has room, and prices the worst case', () => {
    const r = budget().reserve(1000, 4096);
    assert.deepEqual(r, { ok: true, promptTokens: 1000, outputTokens: 4096, costUsd: (1000 * 10 + 4096 * 30) / 1e6 });
  });

  it('cuts the output to the tokens left', () => {
    const b = budget({ maxTokens: 10_000 });
    b.charge({ promptTokens: 6000, completionTokens: 1000 });
    const r = b.reserve(2000, 4096);
    assert.equal(r.ok && r.outputTokens, 1000);
  });

  it('cuts the output to what the money left can pay for', () => {
    // $0.05 left after a $0.01 prompt: 0.04 / 30 per million = 1333 tokens.
    const r = budget({ maxCostUsd: 0.05 }).reserve(1000, 4096);
    assert.equal(r.ok && r.outputTokens, 1333);
    assert.ok(r.ok && r.costUsd <= 0.05);
  });

  it('refuses a call that cannot produce the minimum output, naming the limit', () => {
    const tokens = budget({ maxTokens: 1000 }).reserve(900, 4096);
    assert.deepEqual(tokens, {
      ok: false,
      limit: 'max tokens',
      reason: 'budget: max tokens',
      detail: `the next call needs up to 900 prompt + ${MIN_OUTPUT_TOKENS} completion tokens; 1,000 of 1,000 left`,
    });
    const cost = budget({ maxCostUsd: 0.01 }).reserve(500, 4096);
    assert.equal(cost.ok, false);
    assert.equal(!cost.ok && cost.reason, 'budget: max cost');
    assert.equal(!cost.ok && cost.detail, 'the next call may cost up to $0.0127; $0.0100 of $0.0100 left');
  });

  it('refuses when the wall clock is (nearly) out', () => {
    const clock = { now: 0 };
    const b = budget({ timeoutMs: 10_000 }, clock);
    assert.equal(b.reserve(10, 100).ok, true);
    clock.now = 9_000;
    const r = b.reserve(10, 100);
    assert.deepEqual(r, { ok: false, limit: 'wall clock', reason: 'budget: wall clock', detail: '1000 ms of 10000 ms left' });
  });

  it('asks for less than the minimum only when less is wanted', () => {
    const r = budget().reserve(10, 100);
    assert.equal(r.ok && r.outputTokens, 100);
  });
});

describe('Budget.charge', () => {
  it('adds usage and cost, and reports the first limit passed', () => {
    const b = budget({ maxCostUsd: 0.5, maxTokens: 10_000_000 });
    assert.deepEqual(b.charge({ promptTokens: 1000, completionTokens: 1000 }), { costUsd: 0.04 });
    const over = b.charge({ promptTokens: 1000, completionTokens: 2_000_000 });
    assert.equal(over.over?.reason, 'budget: max cost');
    assert.equal(over.over?.detail, 'spent $60.0500 of $0.5000: the last call cost $60.0100');
    assert.deepEqual(b.snapshot(), { promptTokens: 2000, completionTokens: 2_001_000, costUsd: 60.05, calls: 2 });
    assert.equal(b.exhausted(), 'budget: max cost');
  });

  it('reports tokens past the cap when money is left', () => {
    const b = budget({ maxTokens: 5000 });
    assert.equal(b.charge({ promptTokens: 4000, completionTokens: 2000 }).over?.reason, 'budget: max tokens');
  });
});

describe('createBudget', () => {
  it('takes its limits from the LLM config and prices unknown models high', () => {
    const llm = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', TRACEFIX_MODEL: 'my-local-model', TRACEFIX_LLM_MAX_COST_USD: '4' }).llm!;
    const b = createBudget(llm);
    assert.deepEqual(b.limits, { maxTokens: 400_000, maxCostUsd: 4, timeoutMs: 900_000 });
    assert.deepEqual(b.price, { inputPerMTok: 15, outputPerMTok: 75, source: 'default' });
  });
});
