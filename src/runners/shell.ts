// argv helpers. A repository's base test command is a shell string (it may carry env assignments or
// `npm test --`); our arguments are appended through "$@" so they are never re-parsed by the shell.

/** `sh -c '<base> "$@"' sh arg1 arg2 …`: the base command with `args` appended verbatim. */
export function shellWithArgs(baseCommand: string, args: readonly string[]): string[] {
  return ['sh', '-c', `${baseCommand} "$@"`, 'sh', ...args];
}

/** `sh -c '<command>'` for a configured command that takes no arguments from us. */
export function shellCommand(command: string): string[] {
  return ['sh', '-c', command];
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The first word of a command when it names a Python interpreter (`.venv/bin/python -m pytest`). */
export function pythonInterpreter(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? '';
  return /(^|\/)python[\d.]*$/.test(first) ? first : 'python3';
}
