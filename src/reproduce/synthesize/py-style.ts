// How the repository writes its Python tests, read from an existing test file: where tests live,
// and which directory its imports are relative to (`from shop.cart import …` with shop/ at the
// root; `from cart import …` with a src/ layout on the path). A synthesized test imports the
// same way, so it needs nothing the existing tests do not already set up.
import path from 'node:path';

export interface PyTestStyle {
  framework: 'pytest' | 'unittest';
  dir: string;
  /** The directory module names are relative to ('' = the workspace root), or null when no
   * existing import tells; the test then puts the workspace root on sys.path itself. */
  moduleRoot: string | null;
  example?: string;
}

const IMPORT = /^\s*(?:from\s+([A-Za-z_][\w.]*)\s+import\b|import\s+([A-Za-z_][\w.]*))/gm;

/** The root under which `module` (dotted) is a file or package of the workspace. */
function rootOf(module: string, files: ReadonlySet<string>, roots: readonly string[]): string | undefined {
  const rel = module.split('.').join('/');
  return roots.find((r) => files.has(`${r}${rel}.py`) || files.has(`${r}${rel}/__init__.py`));
}

export function detectPyStyle(input: {
  framework: 'pytest' | 'unittest';
  example?: { file: string; text: string };
  workspaceFiles: readonly string[];
}): PyTestStyle {
  const files = new Set(input.workspaceFiles);
  const roots = ['', 'src/', 'lib/', 'app/'];
  let moduleRoot: string | null = null;
  if (input.example) {
    for (const m of input.example.text.matchAll(IMPORT)) {
      const root = rootOf((m[1] ?? m[2]) as string, files, roots);
      if (root !== undefined) {
        moduleRoot = root;
        break;
      }
    }
  }
  const dir = input.example ? path.posix.dirname(input.example.file).replace(/^\.$/, '') : files.has('tests/__init__.py') || input.workspaceFiles.some((f) => f.startsWith('tests/')) ? 'tests' : 'tests';
  return { framework: input.framework, dir, moduleRoot, ...(input.example ? { example: input.example.file } : {}) };
}

/** The dotted module of a workspace file under `root`, or undefined when it is not under it. */
export function moduleName(file: string, root: string): string | undefined {
  if (!file.startsWith(root) || !file.endsWith('.py')) return undefined;
  const parts = file.slice(root.length).replace(/\.py$/, '').split('/');
  if (parts.at(-1) === '__init__') parts.pop();
  if (parts.length === 0 || !parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) return undefined;
  return parts.join('.');
}
