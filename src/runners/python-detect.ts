// Signals that a Python repository uses pytest rather than plain unittest.
import type { RepoFacts } from './types.ts';

const PYTHON_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'Pipfile', 'tox.ini', 'pytest.ini'];

export function isPythonRepo(repo: RepoFacts): boolean {
  return PYTHON_MARKERS.some((f) => repo.files.has(f)) || [...repo.files].some((f) => f.endsWith('.py') || /^requirements[^/]*\.txt$/.test(f));
}

/** 0..1: how strongly the repository points at pytest. */
export function pytestSignal(repo: RepoFacts): number {
  const t = repo.texts;
  if (repo.files.has('pytest.ini')) return 0.95;
  if (/^\[tool\.pytest/m.test(t['pyproject.toml'] ?? '')) return 0.95;
  if (/^\[tool:pytest\]/m.test(t['setup.cfg'] ?? '')) return 0.95;
  if (/^\[pytest\]/m.test(t['tox.ini'] ?? '')) return 0.95;
  if (repo.files.has('conftest.py') || [...repo.files].some((f) => /(^|\/)conftest\.py$/.test(f))) return 0.9;
  const declared = Object.entries(t)
    .filter(([name]) => /^requirements.*\.txt$|^pyproject\.toml$|^setup\.(py|cfg)$|^Pipfile$/.test(name))
    .some(([, text]) => /(^|[\s"'[,])pytest\b/m.test(text));
  return declared ? 0.8 : 0;
}
