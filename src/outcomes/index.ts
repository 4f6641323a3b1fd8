export { computeOutcomes, type Outcomes } from './compute-outcomes.ts';
export { outcomeMetrics, type OutcomeMetrics } from './prometheus.ts';
export { quantile, durations, rate, type Durations, type Rate } from './stats.ts';
export { reviewOutcomes, type ReviewOutcomes } from './review-outcomes.ts';
export { incidentOutcomes, recurrenceOutcomes, PER_INCIDENT_LIMIT, type IncidentOutcome, type RecurrenceOutcomes } from './incident-outcomes.ts';
