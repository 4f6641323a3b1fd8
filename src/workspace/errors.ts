// Errors of the workspace stage, with stable codes (see src/errors.ts for the base class).
import { AppError } from '../errors.ts';

/** A checkout could not be made: unknown commit, unreachable repository, bad run id. */
export class WorkspaceError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TF_WORKSPACE', message, options);
  }
}

/** `.tracefix.yml` is not valid; `problems` has one line per bad key, naming the key path. */
export class RepoConfigError extends AppError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('TF_REPO_CONFIG', problems.join('\n'));
    this.problems = problems;
  }
}
