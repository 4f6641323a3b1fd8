// Which repair engines a run uses. `auto` is the offline templates first (cheap, deterministic),
// then the LLM agent when a model is configured and the templates validated nothing; `llm` without
// a configured model is bad input, not a silent fallback.
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { createTemplateEngine } from './templates-engine.ts';
import type { RepairEngine } from './types.ts';

export const ENGINE_CHOICES = ['auto', 'templates', 'llm'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

export async function resolveEngines(choice: EngineChoice, config: Config): Promise<RepairEngine[]> {
  if (choice === 'templates') return [createTemplateEngine()];
  const agent = await agentEngine(config);
  if (choice === 'llm') {
    if (!agent) throw new UsageError('--engine llm needs a model: set OPENAI_BASE_URL and TRACEFIX_MODEL (and OPENAI_API_KEY when the endpoint wants one)');
    return [agent];
  }
  return agent ? [createTemplateEngine(), agent] : [createTemplateEngine()];
}

async function agentEngine(_config: Config): Promise<RepairEngine | undefined> {
  // The LLM agent (src/repair/agent/) plugs in here when a model is configured.
  return undefined;
}
