// Validation of candidate patches (readme.md): the suite baseline taken once per run, and the
// validator every engine's candidates go through.
export { BaselineError, suiteBaseline, type SuiteBaselineInput } from './baseline.ts';
export { createValidator, validateCandidate } from './validate.ts';
export { checkPatchPaths, checkPatchSize, fileChanges, patchDiff, MAX_DIFF_CHARS, type Check, type FileChange, type PathsInput } from './policy.ts';
export { judgeSuite, failingIds } from './suite.ts';
