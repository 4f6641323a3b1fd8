// Where our arguments go in a repository's `node --test …` command. Node reads everything after
// the first file pattern as arguments for the tests themselves, so flags appended to
// `node --test "test/**/*.test.js"` would be ignored (no report, no filter). When the command has
// that shape, the reporter and filter flags go right after `--test`, and a run of chosen test
// files drops the command's own patterns (they would add every other file back).

/** `<prefix: … node … --test> <options> <patterns>`, or undefined for other shapes (pipes, &&, …). */
export interface NodeTestCommand {
  prefix: string;
  options: string[];
  patterns: string[];
}

const SHELL_OPERATORS = /[|;&<>()`$]/;

export function splitNodeTestCommand(command: string): NodeTestCommand | undefined {
  const m = /^(.*?\bnode(?:\.exe)?\b.*?\s--test)(?=\s|$)(.*)$/s.exec(command.trim());
  if (!m) return undefined;
  const [, prefix, tail] = m as unknown as [string, string, string];
  if (SHELL_OPERATORS.test(command.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;
  const tokens = tail.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return { prefix, options: tokens.filter((t) => t.startsWith('-')), patterns: tokens.filter((t) => !t.startsWith('-')) };
}

/** argv for `sh -c`: our args after `--test`, then the command's patterns unless files were chosen. */
export function nodeTestArgv(baseCommand: string, args: readonly string[], filesChosen: boolean): string[] | undefined {
  const split = splitNodeTestCommand(baseCommand);
  if (!split || split.patterns.length === 0) return undefined;
  const script = [split.prefix, ...split.options, '"$@"', ...(filesChosen ? [] : split.patterns)].join(' ');
  return ['sh', '-c', script, 'sh', ...args];
}
