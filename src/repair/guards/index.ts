// Validation guards owned here: symptom suppression. (Path and size policy live in src/workspace.)
export { checkSuppression, judge, suppressionFacts, type SuppressionInput } from './suppression.ts';
export type { CrashSite, SuppressionFacts, SuppressionVerdict, SwallowingTry } from './types.ts';
