// The publishing part of the environment (src/publish/), spread into config.ts's schema: GitHub
// App credentials, the publish policy, PR labels and reviewers, the commit author. config.ts stays
// the one reader of process.env; this file only shapes what it read.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));
const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const url = z.url({ protocol: /^https?$/ });

/** Each key is the environment variable's name; the README's configuration table lists them. */
export const PUBLISH_ENV = {
  TRACEFIX_GITHUB_APP_ID: optionalString,
  TRACEFIX_GITHUB_APP_PRIVATE_KEY: optionalString,
  TRACEFIX_GITHUB_APP_PRIVATE_KEY_FILE: optionalString,
  /** Unset: `tracefix`; set to an empty string for no labels. */
  TRACEFIX_GITHUB_PR_LABELS: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? ['tracefix'] : v.split(',').map((s) => s.trim()).filter(Boolean))),
  TRACEFIX_GITHUB_PR_REVIEWERS: list,
  TRACEFIX_PUBLISH: z.enum(['draft', 'ready', 'approval', 'off']).default('draft'),
  /** `Name <email>`; unset: the token's or App's own identity (GitHub fills it in). */
  TRACEFIX_GIT_AUTHOR: optionalString.pipe(z.string().regex(/^[^<>\n]+<[^<>\s]+@[^<>\s]+>$/, 'must look like "Name <email@example.com>"').optional()),
  /** Where people reach this service (the dashboard); PR bodies link the full evidence there. */
  TRACEFIX_PUBLIC_URL: optionalString.pipe(url.optional()),
};

export function gitAuthor(value: string | undefined): { name: string; email: string } | undefined {
  const m = value ? /^([^<>]+)<([^<>\s]+)>$/.exec(value) : null;
  return m ? { name: m[1]!.trim(), email: m[2]! } : undefined;
}

/** The App's id and private key (inline PEM, or read from the _FILE variable): both or neither. */
export function githubApp(appId: string | undefined, inlineKey: string | undefined, keyFile: string | undefined): { appId: string; privateKey: string } | undefined {
  const fail = (problem: string): never => {
    throw new ConfigError(`Invalid configuration. ${problem}`, [problem]);
  };
  let privateKey = inlineKey;
  if (!privateKey && keyFile) {
    try {
      privateKey = readFileSync(keyFile, 'utf8');
    } catch (error) {
      fail(`TRACEFIX_GITHUB_APP_PRIVATE_KEY_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (!appId && !privateKey) return undefined;
  if (!appId) fail('TRACEFIX_GITHUB_APP_ID: required when a GitHub App private key is set');
  if (!privateKey) fail('TRACEFIX_GITHUB_APP_PRIVATE_KEY: required when TRACEFIX_GITHUB_APP_ID is set (or TRACEFIX_GITHUB_APP_PRIVATE_KEY_FILE)');
  // Keys pasted into a one-line variable often carry literal "\n".
  const pem = privateKey!.includes('\\n') && !privateKey!.includes('\n') ? privateKey!.replace(/\\n/g, '\n') : privateKey!;
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) fail('TRACEFIX_GITHUB_APP_PRIVATE_KEY: expected a PEM private key (-----BEGIN RSA PRIVATE KEY-----)');
  return { appId: appId!, privateKey: pem };
}
