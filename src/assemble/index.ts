// The assembler's public surface: what the `assemble` worker and the CLI import.
export { assembleBundle, type AssembleInput, type AssembleResult, type IncidentInput } from './assemble.ts';
export { DEFAULT_ATTRIBUTE_ALLOWLIST, DEFAULTS, type AssembleOptions, type TokenizerName } from './options.ts';
export { loadOrCreateRedactionKey, REDACTION_KEY_FILE } from './redaction-key.ts';
export { Redactor, type RedactionOptions } from './redactor.ts';
export { canonicalJson, sha256Hex } from './canonical.ts';
export { loadTokenizer, type CountTokens } from './tokens.ts';
