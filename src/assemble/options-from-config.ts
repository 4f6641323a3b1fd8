import type { Config } from '../config.ts';
import { loadOrCreateRedactionKey } from './redaction-key.ts';
import type { AssembleOptions } from './options.ts';

// The key file is read once per data directory, not on every assemble job.
const keys = new Map<string, Promise<Buffer>>();

function redactionKey(dataDir: string): Promise<Buffer> {
  let key = keys.get(dataDir);
  if (!key) {
    key = loadOrCreateRedactionKey(dataDir);
    // A failed read (disk full, permissions) is retried by the next job rather than cached.
    key.catch(() => keys.delete(dataDir));
    keys.set(dataDir, key);
  }
  return key;
}

/** The assembler's options as configured; the redaction key lives in the data directory. */
export async function assembleOptionsFromConfig(config: Config): Promise<AssembleOptions> {
  const a = config.assemble;
  return {
    tokenBudget: a.tokenBudget,
    tokenizer: a.tokenizer,
    logWindowSeconds: a.logWindowSeconds,
    releaseCommits: { ...a.releaseCommits },
    serviceRepos: { ...a.serviceRepos },
    sentryProjectRepos: { ...a.sentryProjectRepos },
    ...(a.attributeAllowlist.length ? { attributeAllowlist: a.attributeAllowlist } : {}),
    redaction: {
      key: await redactionKey(config.dataDir),
      extraPatterns: a.redactionPatterns.map((p) => ({ ...p })),
      denyAttributes: [...a.denyAttributes],
    },
  };
}
