// What a model call costs, for the cost budget. A small built-in table of list prices (USD per
// million tokens) under TRACEFIX_LLM_PRICES; a model found in neither is charged a deliberately
// high default, so an unknown price can stop a run early but never let it overspend, and the
// transcript says so.
import type { LlmConfig, ModelPrice } from '../config.ts';

export type PriceSource = 'configured' | 'built-in' | 'default';

export interface ResolvedPrice extends ModelPrice {
  source: PriceSource;
}

/** List prices at the time of writing; TRACEFIX_LLM_PRICES overrides any of them. */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2 },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  o3: { inputPerMTok: 2, outputPerMTok: 8 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
};

/** Charged for a model nobody priced: above the list price of the dearest common models. */
export const DEFAULT_PRICE: ModelPrice = { inputPerMTok: 15, outputPerMTok: 75 };

/** Exact name first; then the longest table entry the name starts with followed by `-` (dated
 * snapshots such as `gpt-4o-2024-08-06` cost what `gpt-4o` costs). */
function lookup(table: Readonly<Record<string, ModelPrice>>, model: string): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (model.startsWith(`${name}-`) && (!best || name.length > best.length)) best = name;
  }
  return best ? table[best] : undefined;
}

export function resolvePrice(llm: Pick<LlmConfig, 'model' | 'prices'>): ResolvedPrice {
  const configured = lookup(llm.prices, llm.model);
  if (configured) return { ...configured, source: 'configured' };
  const builtIn = lookup(BUILT_IN_PRICES, llm.model);
  if (builtIn) return { ...builtIn, source: 'built-in' };
  return { ...DEFAULT_PRICE, source: 'default' };
}

/** The transcript's note when the price is a guess. */
export function priceNote(model: string, price: ResolvedPrice): string | undefined {
  if (price.source !== 'default') return undefined;
  return (
    `model "${model}" has no price (TRACEFIX_LLM_PRICES or the built-in table): the cost budget charges a conservative ` +
    `$${price.inputPerMTok}/$${price.outputPerMTok} per million input/output tokens`
  );
}

export function costUsd(price: ModelPrice, promptTokens: number, completionTokens: number): number {
  return (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1_000_000;
}
