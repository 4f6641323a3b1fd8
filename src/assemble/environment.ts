// The environment section: runtime, OS, architecture from the error span's resource (OTel
// `process.runtime.*`, `os.*`, `host.arch`) and, for Sentry, from the event's tags (`runtime`,
// `os`, `browser`: the Alert carries Sentry's contexts only as those tags).
import type { z } from 'zod';
import type { Alert } from '../../schemas/alert.ts';
import { CAPS, type BundleEnvironment } from '../../schemas/bundle.ts';
import { redactedString } from './attributes.ts';
import type { Redactor } from './redactor.ts';

type Environment = z.infer<typeof BundleEnvironment>;

export function buildEnvironment(
  alert: Alert,
  resource: Readonly<Record<string, unknown>>,
  service: string | undefined,
  redactor: Redactor,
): Environment {
  const res = (key: string) => redactedString(key, resource[key], redactor, CAPS.env);
  const tag = (key: string) => redactedString(key, alert.tags[key], redactor, CAPS.env);
  // Sentry's combined tags: "CPython 3.13.5", "Mac OS X 10.14.0".
  const runtimeTag = splitNameVersion(tag('runtime'), tag('runtime.name'));
  const osTag = splitNameVersion(tag('os'), tag('os.name'));
  const runtime = compact({
    name: res('process.runtime.name') ?? tag('runtime.name') ?? runtimeTag.name,
    version: res('process.runtime.version') ?? tag('runtime.version') ?? runtimeTag.version,
  });
  const os = compact({
    name: res('os.name') ?? res('os.type') ?? tag('os.name') ?? osTag.name,
    version: res('os.version') ?? tag('os.version') ?? osTag.version,
  });
  const svc = compact({
    name: service !== undefined ? redactor.textCapped(service, CAPS.env) : undefined,
    version: res('service.version'),
  });
  return (compact({
    runtime,
    os,
    arch: res('host.arch') ?? tag('arch') ?? tag('device.arch'),
    browser: tag('browser'),
    sdkLanguage: res('telemetry.sdk.language'),
    service: svc,
  }) ?? {}) as Environment;
}

/** "CPython 3.13.5" with name "CPython" → { name, version: "3.13.5" }; without a known name,
 * the last word that starts with a digit is the version. */
export function splitNameVersion(combined: string | undefined, name: string | undefined): { name?: string; version?: string } {
  if (!combined) return name ? { name } : {};
  if (name && combined.startsWith(`${name} `)) return { name, version: combined.slice(name.length + 1).trim() };
  const match = /^(.*\S)\s+(\d[\w.+-]*)$/.exec(combined);
  return match ? { name: match[1] as string, version: match[2] as string } : { name: combined };
}

/** Drops undefined members and empty objects (so the bundle has no `"os": {}`). */
function compact<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return Object.keys(out).length ? (out as Partial<T>) : undefined;
}
