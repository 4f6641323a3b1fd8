// The catalogue of tracefix's error codes. Every AppError carries one (API answers carry it as
// `code`, the CLI prints it, logs record it); `retryable` says whether the same work may succeed
// if tried again unchanged (infrastructure) or not (bad input, configuration, a refused result).
// An error class may still decide per instance (InstallError.permanent, PublishError.kind, ModelError.retriable).

interface CodeInfo {
  readonly retryable: boolean;
  readonly meaning: string;
}

export const ERROR_CODES = {
  // Configuration and usage
  TF_CONFIG: { retryable: false, meaning: 'an environment variable or option is invalid; the message names each one' },
  TF_USAGE: { retryable: false, meaning: 'CLI flags or input files are wrong (exit code 2)' },
  TF_REPO_CONFIG: { retryable: false, meaning: "the repository's .tracefix.yml is invalid" },
  TF_REPO_UNKNOWN: { retryable: false, meaning: "no repository is mapped for the incident's service" },
  TF_SOURCE_NOT_CONFIGURED: { retryable: false, meaning: 'a webhook source was called that has no secret configured' },
  TF_ENGINE_UNAVAILABLE: { retryable: false, meaning: 'the requested repair engine is not configured (the LLM needs a model)' },
  TF_SANDBOX_SETUP: { retryable: false, meaning: "the worker's Docker setup cannot run sandboxes" },
  TF_SANDBOX_IMAGE: { retryable: false, meaning: 'a sandbox image is missing: `tracefix images build`' },
  TF_SANDBOX_PATH: { retryable: false, meaning: 'a path escapes the sandbox workspace' },
  // Requests (HTTP 4xx)
  TF_BAD_REQUEST: { retryable: false, meaning: 'the request is malformed' },
  TF_BAD_JSON: { retryable: false, meaning: 'the body is not valid JSON' },
  TF_BAD_PAYLOAD: { retryable: false, meaning: "the body does not match the source's payload schema" },
  TF_EMPTY_BODY: { retryable: false, meaning: 'the body is empty' },
  TF_UNSUPPORTED_MEDIA_TYPE: { retryable: false, meaning: 'the content type is not one the source sends' },
  TF_INVALID: { retryable: false, meaning: 'a parameter or field is invalid' },
  TF_BAD_STATUS: { retryable: false, meaning: 'an incident status filter names no known status' },
  TF_BAD_CURSOR: { retryable: false, meaning: 'a pagination cursor is not one this API returned' },
  TF_UNAUTHENTICATED: { retryable: false, meaning: 'missing or wrong credentials' },
  TF_NOT_FOUND: { retryable: false, meaning: 'no such route' },
  TF_NO_INCIDENT: { retryable: false, meaning: 'no such incident' },
  TF_NO_RUN: { retryable: false, meaning: 'no such run' },
  TF_NO_BUNDLE: { retryable: false, meaning: 'the incident has no evidence bundle yet' },
  TF_NO_PUBLICATION: { retryable: false, meaning: 'the run has nothing to publish' },
  TF_INCIDENT_BUSY: { retryable: true, meaning: 'a run of the incident is in progress' },
  TF_DECISION_CONFLICT: { retryable: false, meaning: 'the run was already approved or rejected' },
  TF_ALREADY_PUBLISHED: { retryable: false, meaning: 'the run already has a pull request' },
  TF_RUN_NOT_FIXED: { retryable: false, meaning: 'the run has no validated proposal' },
  TF_OTLP_DECODE: { retryable: false, meaning: 'an OTLP request could not be decoded' },
  TF_BODY: { retryable: false, meaning: 'a request body could not be read (size, encoding)' },
  // Pipeline outcomes
  TF_WORKSPACE: { retryable: true, meaning: 'the checkout could not be made (unreachable repository, unknown commit)' },
  TF_INSTALL: { retryable: true, meaning: 'the dependency install failed (permanent when the lockfile is refused)' },
  TF_BASELINE: { retryable: false, meaning: 'the test suite cannot serve as a baseline (nothing ran, or it fails at the commit)' },
  TF_RUN: { retryable: true, meaning: 'a run could not finish' },
  TF_PATCH_APPLY: { retryable: false, meaning: 'a patch no longer applies to the base branch' },
  TF_FIX_MERGE: { retryable: false, meaning: 'a merge record is invalid' },
  TF_RETRY: { retryable: false, meaning: 'a retry could not be started' },
  // Infrastructure and external services
  TF_TIMEOUT: { retryable: true, meaning: 'something did not answer in time' },
  TF_STORE_FAILED: { retryable: true, meaning: 'the database failed' },
  TF_TRACE_SOURCE: { retryable: true, meaning: 'the external trace source (Tempo, Jaeger) failed' },
  TF_SENTRY_API: { retryable: true, meaning: "Sentry's API failed" },
  TF_GITHUB_API: { retryable: true, meaning: "GitHub's API failed" },
  TF_GITHUB_UNAVAILABLE: { retryable: true, meaning: "GitHub could not be asked for the sender's permission" },
  TF_PUBLISH: { retryable: true, meaning: 'publishing failed (permanent for permission and input problems)' },
  TF_MODEL: { retryable: true, meaning: 'the model endpoint failed' },
  TF_INTERNAL: { retryable: false, meaning: 'a bug in tracefix' },
} as const satisfies Record<`TF_${string}`, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
