export { computeOutcomes, type Outcomes } from './compute-outcomes.ts';
export { outcomeMetrics, type OutcomeMetrics } from './prometheus.ts';
export { quantile, durations, rate, type Durations, type Rate } from './stats.ts';
export { reviewOutcomes, type ReviewOutcomes } from './review-outcomes.ts';
