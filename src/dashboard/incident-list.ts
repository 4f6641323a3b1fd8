// The dashboard's incident list: incidents newest first with their latest run, filtered by status,
// source, service and repository. Repository is the incident's repo hint or, for services mapped in
// TRACEFIX_SERVICE_REPOS, the mapped repository (the same mapping the assembler uses).
import { z } from 'zod';
import type { Queryable } from '../store/db.ts';

export const ListFilter = z.object({
  status: z.string().max(64).optional(),
  source: z.string().max(16).optional(),
  service: z.string().max(256).optional(),
  repository: z.string().max(512).optional(),
  /** Keyset cursor: the id of the last incident of the previous page. */
  before: z.string().regex(/^inc_[0-9a-z]{9}[0-9a-f]{16}$/).optional(),
});
export type ListFilter = z.infer<typeof ListFilter>;

/** Empty strings from a form's "any" option mean no filter. */
export function parseListFilter(query: unknown): ListFilter {
  const raw = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string' && v !== ''));
  return ListFilter.parse(cleaned);
}

export interface ListedIncident {
  id: string;
  status: string;
  source: string;
  errorType: string;
  message: string;
  service: string | null;
  repoHint: string | null;
  firstSeen: string;
  lastSeen: string;
  alertCount: number;
  runId: string | null;
  runStatus: string | null;
  runEngine: string | null;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export const PAGE_SIZE = 50;

export async function listForDashboard(
  db: Queryable,
  filter: ListFilter & { id?: string },
  serviceRepos: Readonly<Record<string, string>>,
  limit = PAGE_SIZE,
): Promise<ListedIncident[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    let out = sql;
    for (const value of values) {
      params.push(value);
      out = out.replace('?', `$${params.length}`);
    }
    where.push(out);
  };
  if (filter.id) add('i.id = ?', filter.id);
  if (filter.status) add('i.status = ?', filter.status);
  if (filter.source) add('i.source = ?', filter.source);
  if (filter.service) add('i.service = ?', filter.service);
  if (filter.repository) {
    const services = Object.entries(serviceRepos)
      .filter(([, repo]) => repo === filter.repository)
      .map(([service]) => service);
    add('(i.repo_hint = ? or i.service = any(?::text[]))', filter.repository, services);
  }
  if (filter.before) add('i.id < ?', filter.before);
  params.push(limit);
  const rows = await db.query<ListedIncident>(
    `select i.id, i.status, i.source, i.error_type as "errorType", i.message, i.service, i.repo_hint as "repoHint",
       i.first_seen as "firstSeen", i.last_seen as "lastSeen", i.alert_count as "alertCount",
       r.id as "runId", r.status as "runStatus", r.engine as "runEngine"
     from incidents i
     left join lateral (select id, status, engine from runs where incident_id = i.id order by created_at desc, id desc limit 1) r on true
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by i.id desc limit $${params.length}`,
    params,
  );
  // Incident ids start with their creation time in base 36, so id order is newest first.
  return rows.map((r) => ({ ...r, firstSeen: iso(r.firstSeen), lastSeen: iso(r.lastSeen), alertCount: Number(r.alertCount) }));
}

export interface FilterOptions {
  statuses: string[];
  sources: string[];
  services: string[];
  repositories: string[];
}

/** The values the filter menus offer: what the table holds (capped), plus the mapped repositories. */
export async function filterOptions(db: Queryable, serviceRepos: Readonly<Record<string, string>>): Promise<FilterOptions> {
  const distinct = async (column: string) =>
    (await db.query<{ v: string }>(`select distinct ${column} as v from incidents where ${column} is not null order by 1 limit 200`)).map((r) => r.v);
  const [statuses, sources, services, hints] = await Promise.all([distinct('status'), distinct('source'), distinct('service'), distinct('repo_hint')]);
  const repositories = [...new Set([...hints, ...Object.values(serviceRepos)])].sort();
  return { statuses, sources, services, repositories };
}
