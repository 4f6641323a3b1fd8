// Which repair engines a run uses. `auto` is the offline templates first (cheap, deterministic),
// then the LLM agent when a model is configured and the templates validated nothing; `llm` without
// a configured model is bad input, not a silent fallback. With a model, the agent also writes the
// reproduction when synthesis could not; one budget covers both within one call of this function:
// the whole run for `tracefix repair`, each stage's job in the service (reproduce and repair are
// separate jobs, possibly on separate workers, so each gets the configured caps).
import path from 'node:path';
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import type { ReproduceFallback } from './reproduce-stage.ts';
import { createTemplateEngine } from './templates-engine.ts';
import type { RepairEngine } from './types.ts';

export const ENGINE_CHOICES = ['auto', 'templates', 'llm'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

export interface RunEngines {
  engines: RepairEngine[];
  reproduceFallback?: ReproduceFallback;
}

export async function resolveEngines(choice: EngineChoice, config: Config, options: { artifactsDir?: string } = {}): Promise<RunEngines> {
  if (choice === 'templates') return { engines: [createTemplateEngine()] };
  if (!config.llm) {
    if (choice === 'llm') throw new UsageError('--engine llm needs a model: set OPENAI_BASE_URL and TRACEFIX_MODEL (and OPENAI_API_KEY when the endpoint wants one)');
    return { engines: [createTemplateEngine()] };
  }
  // Loaded only when a model is configured: the openai client is not needed otherwise.
  const { agentReproduce, createAgentEngine, createBudget } = await import('./agent/index.ts');
  const llm = config.llm;
  const budget = createBudget(llm);
  const agent = createAgentEngine(llm, { budget, ...(options.artifactsDir ? { artifactsDir: options.artifactsDir } : {}) });
  const reproduceFallback: ReproduceFallback = async ({ bundle, env, failed }) => {
    const result = await agentReproduce({
      llm,
      bundle,
      sandbox: env.sandbox,
      repoConfig: env.repoConfig,
      workspaceFiles: env.trackedFiles,
      previous: failed,
      budget,
      // Its own transcript beside the repair's: `tracefix replay <dir>/reproduce`.
      ...(options.artifactsDir ? { artifactsDir: path.join(options.artifactsDir, 'reproduce') } : {}),
    });
    return result.reproduction;
  };
  return { engines: choice === 'llm' ? [agent] : [createTemplateEngine(), agent], reproduceFallback };
}
