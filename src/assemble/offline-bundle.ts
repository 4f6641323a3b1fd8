// One bundle from alerts that did not come through the service (exported files, a failing test, a
// GitHub Actions event): the incident is made up on the spot, then the same assembler as the
// service's assemble stage runs. `tracefix bundle` and `tracefix action` both use it.
import type { Alert } from '../../schemas/alert.ts';
import type { ReproTest } from '../../schemas/bundle.ts';
import type { LogRecord, SpanRecord } from '../../schemas/telemetry.ts';
import type { Config } from '../config.ts';
import { fingerprint } from '../evidence/fingerprint.ts';
import { newIncidentId } from '../store/incident-store.ts';
import { assembleBundle, type AssembleResult } from './assemble.ts';
import { assembleOptionsFromConfig } from './options-from-config.ts';

export interface OfflineBundleInput {
  config: Config;
  /** The last one is the primary alert: it names the incident. */
  alerts: Alert[];
  spans?: SpanRecord[];
  logs?: LogRecord[];
  reproTest?: ReproTest;
  /** The checkout the alerts ran from, for alerts that name no repository or commit. */
  repo?: { dir: string; commit: string };
}

export async function assembleOfflineBundle(input: OfflineBundleInput): Promise<AssembleResult> {
  const { alerts } = input;
  const primary = alerts.at(-1);
  if (!primary) throw new Error('assembleOfflineBundle needs at least one alert');
  if (input.repo) {
    for (const alert of alerts) {
      alert.repoHint ??= input.repo.dir;
      alert.commitSha ??= input.repo.commit;
    }
  }
  const at = primary.receivedAt;
  return assembleBundle({
    incident: {
      id: newIncidentId(),
      fingerprint: fingerprint(primary),
      source: primary.source,
      title: primary.title,
      firstSeen: at,
      lastSeen: at,
      alertCount: alerts.length,
    },
    alerts,
    spans: input.spans ?? [],
    logs: input.logs ?? [],
    options: await assembleOptionsFromConfig(input.config),
    ...(input.reproTest ? { reproTest: input.reproTest } : {}),
  });
}
