// Which OTLP errors become alerts. Off by default: a service exporting every trace to tracefix
// would otherwise open an incident for every handled error; the operator opts in, optionally only
// for some services and routes (globs, picomatch syntax: `checkout-*`, `/api/**`).
import picomatch from 'picomatch';

export interface OtlpAlertRule {
  enabled: boolean;
  /** service.name globs; empty = every service. */
  services: readonly string[];
  /** http.route globs; empty = every route. When set, an error whose route is unknown does not match. */
  routes: readonly string[];
}

export const ALERTS_OFF: OtlpAlertRule = { enabled: false, services: [], routes: [] };

/** The rule from config. `config.otlp.alerts` is optional so this module does not depend on the
 * exact Config revision; absent → off. */
export function alertRuleFromConfig(config: { otlp: { alerts?: Partial<OtlpAlertRule> } }): OtlpAlertRule {
  const alerts = config.otlp.alerts;
  if (!alerts) return ALERTS_OFF;
  return { enabled: alerts.enabled === true, services: alerts.services ?? [], routes: alerts.routes ?? [] };
}

export interface RuleMatcher {
  enabled: boolean;
  /** Whether route lookups are needed at all (they cost a trace read for log records). */
  needsRoute: boolean;
  matches(service: string | undefined, route: string | undefined): boolean;
}

const cache = new WeakMap<OtlpAlertRule, RuleMatcher>();

export function compileRule(rule: OtlpAlertRule): RuleMatcher {
  const cached = cache.get(rule);
  if (cached) return cached;
  const service = rule.services.length ? picomatch([...rule.services], { dot: true }) : undefined;
  const route = rule.routes.length ? picomatch([...rule.routes], { dot: true }) : undefined;
  const matcher: RuleMatcher = {
    enabled: rule.enabled,
    needsRoute: route !== undefined,
    matches(s, r) {
      if (!rule.enabled) return false;
      if (service && (s === undefined || !service(s))) return false;
      if (route && (r === undefined || !route(r))) return false;
      return true;
    },
  };
  cache.set(rule, matcher);
  return matcher;
}
