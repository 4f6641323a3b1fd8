// Span, event, log and resource attributes → bundle attributes: only allowlisted keys, every
// value through the redactor (deny list, secret-looking keys, patterns), then capped. Keys are
// sorted so the output does not depend on the order a store returned them in.
import { CAPS } from '../../schemas/bundle.ts';
import type { Redactor } from './redactor.ts';
import { toScalar, type Scalar } from './text.ts';

export interface AttributeContext {
  redactor: Redactor;
  allow: (key: string) => boolean;
}

export interface BundleAttributes {
  attributes: Record<string, Scalar>;
  /** Keys left out by the allowlist. */
  omitted: number;
}

export function bundleAttributes(
  source: Readonly<Record<string, unknown>>,
  ctx: AttributeContext,
  alsoAllow?: (key: string) => boolean,
): BundleAttributes {
  const attributes: Record<string, Scalar> = {};
  let omitted = 0;
  for (const key of Object.keys(source).sort()) {
    if (!ctx.allow(key) && !alsoAllow?.(key)) {
      omitted++;
      continue;
    }
    attributes[ctx.redactor.textCapped(key, CAPS.attrKey)] = redactScalar(key, source[key], ctx.redactor, CAPS.attrValue);
  }
  return { attributes, omitted };
}

/** One attribute value, redacted and capped (also used outside the allowlist: repro, env). */
export function redactScalar(key: string, value: unknown, redactor: Redactor, cap: number): Scalar {
  return redactor.attribute(key, toScalar(value), cap);
}

/** A string attribute, redacted and capped; undefined when absent. */
export function redactedString(key: string, value: unknown, redactor: Redactor, cap: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const scalar = redactScalar(key, value, redactor, cap);
  return scalar === null ? undefined : String(scalar);
}
