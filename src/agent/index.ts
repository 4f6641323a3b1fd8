// The LLM agent (issue 6): a repair engine over an OpenAI-compatible endpoint, and a
// reproduction writer for incidents test synthesis could not reproduce. readme.md says how.
export { createAgentEngine, type AgentEngineOptions } from './engine.ts';
export { agentReproduce, type AgentReproduceInput, type AgentReproduceResult } from './reproduce.ts';
export { Budget, createBudget, type BudgetLimits, type BudgetUsage } from './budget.ts';
export { BUILT_IN_PRICES, DEFAULT_PRICE, resolvePrice } from './prices.ts';
export { TRANSCRIPT_FILE } from './transcript.ts';
