// A dependency install that did not succeed. The run stops here, before the baseline: without its
// dependencies every test would fail with "Cannot find module", which says nothing about the bug.
import { AppError } from '../errors.ts';

export class InstallError extends AppError {
  /** One sentence: what was being done and why it failed. */
  readonly reason: string;
  /** The package manager's own output, trimmed to its last lines and scrubbed of credentials. */
  readonly output: string;

  /** False when retrying may help (the registry did not answer, a timeout); a refused lockfile will not change. */
  readonly permanent: boolean;

  constructor(reason: string, output = '', options: { permanent?: boolean } = {}) {
    super('TF_INSTALL', output ? `${reason}\n${output}` : reason);
    this.reason = reason;
    this.output = output;
    this.permanent = options.permanent ?? true;
  }

  override get retryable(): boolean {
    return !this.permanent;
  }
}

const MAX_LINES = 20;
const MAX_CHARS = 2000;

/** The last lines of a tool's output, each credential replaced, at most 2000 characters. */
export function trimOutput(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  // URLs with user:password@ (pip echoes index URLs) lose the userinfo.
  out = out.replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***@');
  const lines = out.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  const tail = lines.slice(-MAX_LINES).join('\n');
  return tail.length > MAX_CHARS ? `…${tail.slice(-MAX_CHARS)}` : tail;
}
