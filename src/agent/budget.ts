// The run's token, cost and wall-clock budget. Before every model call the loop reserves that
// call's worst case (the prompt as counted here, plus the most output the call may produce), and
// the call is made only if the reservation fits; the output cap sent with the call is what is
// left, so a well-behaved endpoint cannot overspend. An endpoint that ignores the cap (or counts
// the prompt higher than we did) is charged what it reports, and the first charge past a limit
// stops the run there: the overrun is at most one call, and it is recorded.
import type { LlmConfig } from '../config.ts';
import { costUsd, resolvePrice, type ResolvedPrice } from './prices.ts';
import type { BudgetLimit } from './stop.ts';

export interface BudgetLimits {
  /** Prompt + completion tokens of the whole run. */
  maxTokens: number;
  maxCostUsd: number;
  timeoutMs: number;
}

export interface BudgetUsage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  calls: number;
}

export type Reservation =
  | { ok: true; promptTokens: number; outputTokens: number; costUsd: number }
  | { ok: false; limit: BudgetLimit; reason: string; detail: string };

/** A call that may not produce at least this much output is not worth making. */
export const MIN_OUTPUT_TOKENS = 256;
/** A call needs at least this much of the wall clock left. */
export const MIN_CALL_MS = 2_000;

const fmtTokens = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtUsd = (n: number) => `$${n.toFixed(n < 0.01 ? 6 : 4)}`;

export class Budget {
  readonly limits: BudgetLimits;
  readonly price: ResolvedPrice;
  readonly startedAt: number;
  readonly used: BudgetUsage = { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0 };
  private readonly now: () => number;

  constructor(limits: BudgetLimits, price: ResolvedPrice, now: () => number = Date.now) {
    this.limits = limits;
    this.price = price;
    this.now = now;
    this.startedAt = now();
  }

  get tokensUsed(): number {
    return this.used.promptTokens + this.used.completionTokens;
  }

  remainingMs(): number {
    return this.limits.timeoutMs - (this.now() - this.startedAt);
  }

  /** The reason the run must stop now, if a limit is already reached. */
  exhausted(): string | undefined {
    if (this.remainingMs() < MIN_CALL_MS) return 'budget: wall clock';
    if (this.tokensUsed >= this.limits.maxTokens) return 'budget: max tokens';
    if (this.used.costUsd >= this.limits.maxCostUsd) return 'budget: max cost';
    return undefined;
  }

  /**
   * Sets aside the next call's worst case: `promptTokens` (already counted with a margin) plus up
   * to `wantOutput` completion tokens, cut to what the token and cost limits leave. Fails when not
   * even MIN_OUTPUT_TOKENS of output fit.
   */
  reserve(promptTokens: number, wantOutput: number): Reservation {
    const left = this.remainingMs();
    if (left < MIN_CALL_MS) {
      return { ok: false, limit: 'wall clock', reason: 'budget: wall clock', detail: `${Math.max(0, Math.round(left))} ms of ${this.limits.timeoutMs} ms left` };
    }
    const tokensLeft = this.limits.maxTokens - this.tokensUsed;
    const minimum = Math.min(MIN_OUTPUT_TOKENS, wantOutput);
    if (promptTokens + minimum > tokensLeft) {
      return {
        ok: false,
        limit: 'max tokens',
        reason: 'budget: max tokens',
        detail: `the next call needs up to ${fmtTokens(promptTokens)} prompt + ${fmtTokens(minimum)} completion tokens; ${fmtTokens(Math.max(0, tokensLeft))} of ${fmtTokens(this.limits.maxTokens)} left`,
      };
    }
    let output = Math.min(wantOutput, tokensLeft - promptTokens);
    const costLeft = this.limits.maxCostUsd - this.used.costUsd;
    const promptCost = costUsd(this.price, promptTokens, 0);
    const outputAffordable = this.price.outputPerMTok > 0 ? Math.floor(((costLeft - promptCost) * 1_000_000) / this.price.outputPerMTok) : Infinity;
    if (promptCost > costLeft || outputAffordable < minimum) {
      return {
        ok: false,
        limit: 'max cost',
        reason: 'budget: max cost',
        detail: `the next call may cost up to ${fmtUsd(costUsd(this.price, promptTokens, minimum))}; ${fmtUsd(Math.max(0, costLeft))} of ${fmtUsd(this.limits.maxCostUsd)} left`,
      };
    }
    output = Math.min(output, outputAffordable);
    return { ok: true, promptTokens, outputTokens: output, costUsd: costUsd(this.price, promptTokens, output) };
  }

  /** Records a call's real usage. Returns the limit it pushed the run past, if any. */
  charge(usage: { promptTokens: number; completionTokens: number }): { costUsd: number; over?: { limit: BudgetLimit; reason: string; detail: string } } {
    const cost = costUsd(this.price, usage.promptTokens, usage.completionTokens);
    this.used.promptTokens += usage.promptTokens;
    this.used.completionTokens += usage.completionTokens;
    this.used.costUsd += cost;
    this.used.calls += 1;
    if (this.used.costUsd > this.limits.maxCostUsd) {
      return { costUsd: cost, over: { limit: 'max cost', reason: 'budget: max cost', detail: `spent ${fmtUsd(this.used.costUsd)} of ${fmtUsd(this.limits.maxCostUsd)}: the last call cost ${fmtUsd(cost)}` } };
    }
    if (this.tokensUsed > this.limits.maxTokens) {
      return {
        costUsd: cost,
        over: { limit: 'max tokens', reason: 'budget: max tokens', detail: `used ${fmtTokens(this.tokensUsed)} of ${fmtTokens(this.limits.maxTokens)} tokens: the last call used ${fmtTokens(usage.promptTokens + usage.completionTokens)}` },
      };
    }
    return { costUsd: cost };
  }

  snapshot(): BudgetUsage {
    return { ...this.used };
  }
}

/** The budget of one run from the LLM config. Share one between the stages of a run (the agent's
 * reproduction and its repair) so the caps hold for the run, not for each stage. */
export function createBudget(llm: LlmConfig, now?: () => number): Budget {
  return new Budget({ maxTokens: llm.maxTokens, maxCostUsd: llm.maxCostUsd, timeoutMs: llm.timeoutMs }, resolvePrice(llm), now);
}
