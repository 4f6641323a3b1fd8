// JS test ids: `<workspace-relative file>::<title> > <title> > <test title>`. The frameworks join
// titles differently when filtering (node, jest and mocha with a space, vitest with " > "), so the
// filter accepts either separator between the parts.
import { escapeRegExp } from './shell.ts';

const FILE_SEPARATOR = '::';
export const TITLE_SEPARATOR = ' > ';

export function jsTestId(file: string, titles: readonly string[]): string {
  return `${file}${FILE_SEPARATOR}${titles.join(TITLE_SEPARATOR)}`;
}

export function parseJsTestId(id: string): { file: string; titles: string[] } {
  const at = id.indexOf(FILE_SEPARATOR);
  if (at < 0) return { file: '', titles: id.split(TITLE_SEPARATOR) };
  return { file: id.slice(0, at), titles: id.slice(at + FILE_SEPARATOR.length).split(TITLE_SEPARATOR) };
}

function titlesSource(titles: readonly string[]): string {
  return titles.map(escapeRegExp).join('(?: | > )');
}

/** An anchored regular expression (source) matching the full names of exactly these tests. */
export function fullNamePattern(ids: readonly string[]): string {
  const alternatives = [...new Set(ids.map((id) => titlesSource(parseJsTestId(id).titles)))];
  return alternatives.length === 1 ? `^${alternatives[0]}$` : `^(?:${alternatives.join('|')})$`;
}

/** The distinct files of these ids, in first-seen order ('' dropped). */
export function filesOf(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => parseJsTestId(id).file).filter(Boolean))];
}
