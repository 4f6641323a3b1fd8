// List endpoints page the way api.github.com does ("Using pagination in the REST API"): `per_page`
// (default 30, at most 100: a larger value is served as 100) and `page` (default 1; a page past the
// end is an empty array), and a `Link` header naming the `first`, `prev`, `next` and `last` pages
// as absolute URLs carrying the request's other query parameters. A list that fits one page has no
// Link header. Octokit's paginate() follows `rel="next"` and nothing else, so a fake without these
// headers would silently end every paginated read after its first page.

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 30;

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

function positive(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/** One page of `all`, for a request to `url` (the absolute URL, its query included). */
export function paginate<T>(all: readonly T[], url: URL): Page<T> {
  const perPage = Math.min(positive(url.searchParams.get('per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE);
  const page = positive(url.searchParams.get('page'), 1);
  const items = all.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  if (last === 1) return { items, headers: {} };
  const link = (n: number, rel: string) => {
    const to = new URL(url);
    to.searchParams.set('page', String(n));
    return `<${to.href}>; rel="${rel}"`;
  };
  // GitHub's order: prev, next, last, first (each only where it applies).
  const links = [
    ...(page > 1 ? [link(Math.min(page - 1, last), 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : []),
  ];
  return { items, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}
