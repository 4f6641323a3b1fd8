// The Python helpers shipped with the runners. They reach the sandbox as `python -c <source>`
// arguments, so nothing is written into the workspace and no file has to be copied in.
import { readFileSync } from 'node:fs';

export const UNITTEST_RUNNER_SOURCE = readFileSync(new URL('./python/unittest-runner.py', import.meta.url), 'utf8');
export const TRACE_TEST_SOURCE = readFileSync(new URL('./python/trace-test.py', import.meta.url), 'utf8');

/** Environment for every Python run: no .pyc files in the workspace, unbuffered output. */
export const PYTHON_ENV: Readonly<Record<string, string>> = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
