// A few error classes with stable codes, sorted by what happens next (STYLE.md practice 4).

export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
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
    code: string,
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
  constructor(message: string) {
    super('TF_USAGE', message);
  }
}
