import type { Config } from '../config.ts';
import { loadOrCreateRedactionKey } from './redaction-key.ts';
import type { AssembleOptions } from './options.ts';

/** The assembler's options as configured; the redaction key lives in the data directory. */
export async function assembleOptionsFromConfig(config: Config): Promise<AssembleOptions> {
  const a = config.assemble;
  return {
    tokenBudget: a.tokenBudget,
    tokenizer: a.tokenizer,
    logWindowSeconds: a.logWindowSeconds,
    releaseCommits: { ...a.releaseCommits },
    serviceRepos: { ...a.serviceRepos },
    ...(a.attributeAllowlist.length ? { attributeAllowlist: a.attributeAllowlist } : {}),
    redaction: {
      key: await loadOrCreateRedactionKey(config.dataDir),
      extraPatterns: a.redactionPatterns.map((p) => ({ ...p })),
      denyAttributes: [...a.denyAttributes],
    },
  };
}
