// A few error classes with stable codes (catalogue: error-codes.ts), sorted by what happens next
// (STYLE.md practice 4), and the one classifier the workers and the CLI share.
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** Whether the same work may succeed if tried again unchanged; subclasses decide per instance. */
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

/**
 * Permanent or retryable. An AppError knows; anything else (a socket reset, a Docker hiccup, an
 * unexpected library error) is treated as infrastructure and retried, since giving up on a
 * transient failure loses an incident while retrying a bug costs only a few attempts.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof AppError ? error.retryable : true;
}

/** Startup stops; the message names every bad environment variable. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[]) {
    super('TF_CONFIG', message);
    this.problems = problems;
  }
}

/** A caller sent something we will not accept; maps to a 4xx with this status. */
export class RequestError extends AppError {
  readonly statusCode: number;
  readonly details: readonly { path: string; message: string }[];
  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    details: readonly { path: string; message: string }[] = [],
  ) {
    super(code, message);
    this.statusCode = statusCode;
    this.details = details;
  }
}

/** Input files or flags given to the CLI are wrong: exit code 2. */
export class UsageError extends AppError {
  constructor(message: string, code: ErrorCode = 'TF_USAGE') {
    super(code, message);
  }
}
