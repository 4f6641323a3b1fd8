// Which repair engines a run uses, from a registry of engine factories (like src/sandbox/api.ts
// for drivers). `auto` is the offline templates first (cheap, deterministic), then the LLM agent
// when a model is configured and the templates validated nothing; `llm` without a configured model
// is bad input, not a silent fallback. With a model, the agent also writes the reproduction when
// synthesis could not; one budget covers both within one call of resolveEngines: the whole run for
// `tracefix repair`, each stage's job in the service (reproduce and repair are separate jobs,
// possibly on separate workers, so each gets the configured caps).
import path from 'node:path';
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { createTemplateEngine } from '../repair/template-repair-engine.ts';
import type { EngineName, RepairEngine } from '../repair/types.ts';
import type { ReproduceFallback } from '../reproduce/stage.ts';

export const ENGINE_CHOICES = ['auto', 'templates', 'llm'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

export interface RunEngines {
  engines: RepairEngine[];
  reproduceFallback?: ReproduceFallback;
}

interface EngineOptions {
  artifactsDir?: string;
}

/** One engine: whether this deployment can run it, and how to make it (with what it adds to reproduction). */
interface EngineFactory {
  /** What the engine needs that this deployment lacks ("a model: set …"), else undefined. */
  missing(config: Config): string | undefined;
  create(config: Config, options: EngineOptions): Promise<RunEngines>;
}

const templates: EngineFactory = {
  missing: () => undefined,
  create: async () => ({ engines: [createTemplateEngine()] }),
};

const llm: EngineFactory = {
  missing: (config) => (config.llm ? undefined : 'a model: set OPENAI_BASE_URL and TRACEFIX_MODEL (and OPENAI_API_KEY when the endpoint wants one)'),
  async create(config, options) {
    const llmConfig = config.llm!;
    // Loaded only when a model is configured: the openai client is not needed otherwise.
    const { agentReproduce, createAgentEngine, createBudget } = await import('../agent/index.ts');
    const budget = createBudget(llmConfig);
    const agent = createAgentEngine(llmConfig, { budget, ...(options.artifactsDir ? { artifactsDir: options.artifactsDir } : {}) });
    const reproduceFallback: ReproduceFallback = async ({ bundle, env, failed }) => {
      const result = await agentReproduce({
        llm: llmConfig,
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
    return { engines: [agent], reproduceFallback };
  },
};

export const REPAIR_ENGINES: ReadonlyMap<EngineName, EngineFactory> = new Map<EngineName, EngineFactory>([
  ['templates', templates],
  ['llm', llm],
]);

/** The engines a choice names, in the order they run; `auto` is every engine this deployment can run. */
function enginesFor(choice: EngineChoice, config: Config): EngineName[] {
  if (choice !== 'auto') {
    const missing = REPAIR_ENGINES.get(choice)?.missing(config);
    if (missing) throw new UsageError(`--engine ${choice} needs ${missing}`, 'TF_ENGINE_UNAVAILABLE');
    return [choice];
  }
  return [...REPAIR_ENGINES].filter(([, factory]) => !factory.missing(config)).map(([name]) => name);
}

export async function resolveEngines(choice: EngineChoice, config: Config, options: EngineOptions = {}): Promise<RunEngines> {
  const resolved: RunEngines = { engines: [] };
  for (const name of enginesFor(choice, config)) {
    const made = await REPAIR_ENGINES.get(name)!.create(config, options);
    resolved.engines.push(...made.engines);
    if (made.reproduceFallback && !resolved.reproduceFallback) resolved.reproduceFallback = made.reproduceFallback;
  }
  return resolved;
}
