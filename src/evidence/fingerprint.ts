// Incident grouping: the same bug must hash the same however often, wherever and with whatever
// data it fires; a different crash site must hash differently. fingerprint = sha256 of
//   errorType \n normalizeMessage(message) \n file:function of the top in-app frame
// Line numbers are left out on purpose: they move with every unrelated edit above the crash.
// The reproduction stage reuses normalizeMessage for its signature gate.
import { createHash } from 'node:crypto';
import type { Alert, Frame } from '../../schemas/alert.ts';

/** Masks of the variable parts of an error message, applied in this order (earlier masks
 * swallow text later ones would otherwise split: a URL holds numbers, a UUID holds hex). */
const MASKS: readonly [RegExp, string][] = [
  // Scheme and local-part lengths are bounded so a long word cannot make these quadratic.
  [/\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s'"`<>()[\]{}]+/gi, '<url>'],
  [/(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Quoted literals; the opening quote must not follow a letter so apostrophes ("can't",
  // "user's") are not read as quotes. Python reprs (KeyError: 'u_42') and JS property names in
  // "(reading 'id')" mask to the same token whatever the value.
  [/(?<![\w'])'[^'\n]*'(?![\w])/g, '<str>'],
  [/(?<![\w"])"[^"\n]*"(?![\w])/g, '<str>'],
  [/`[^`\n]*`/g, '<str>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Bare hex ids (Mongo ObjectIds, SHAs, trace ids): ≥ 8 chars with both a digit and a letter,
  // so plain words ("deadbeef" aside) and plain numbers are left to the other masks.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Numbers not glued to the end of an identifier: "user42" stays, "42ms" → "<num>ms".
  [/(?<![A-Za-z_$\d])-?\d+(?:[.,]\d+)*(?:e[+-]?\d+)?/gi, '<num>'],
];

export function normalizeMessage(message: string): string {
  let out = message;
  for (const [pattern, token] of MASKS) out = out.replace(pattern, token);
  return out.replace(/\s+/g, ' ').trim();
}

/** The crash site as the project sees it: the last frame not marked as library code. Frames
 * with unknown inApp count as in-app. Falls back to the last frame; undefined without frames. */
export function topInAppFrame(frames: readonly Frame[]): Frame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i];
    if (frame && frame.inApp !== false) return frame;
  }
  return frames.at(-1);
}

/** Container/checkout roots stripped from absolute paths. A deployment-specific prefix must not
 * split one bug into several incidents (the same code at /app/src/x.js and /usr/src/app/src/x.js). */
const KNOWN_ROOTS = [/^\/app\//, /^\/usr\/src\/app\//, /^\/srv\/app\//, /^\/opt\/app\//, /^\/code\//, /^\/workspace\//, /^\/var\/task\//, /^\/home\/runner\/work\/[^/]+\/[^/]+\//];
const LIBRARY_MARKER = /(?:^|\/)((?:node_modules|site-packages|dist-packages)\/.*)$/;

/** A deterministic, host-independent name for a frame's file:
 * 1. take `file` (project-relative when the source knows it, e.g. Sentry's `filename`), else `absPath`;
 * 2. turn URLs and `file://` into paths (scheme, host, query, hash dropped; `webpack:///`,
 *    `app:///` included), backslashes into slashes, drop a Windows drive letter;
 * 3. library code is named from its `node_modules/` / `site-packages/` segment on;
 * 4. a relative path is kept (minus `./`);
 * 5. an absolute path under a known container root (/app/, /usr/src/app/…) is kept relative to it;
 * 6. any other absolute path keeps its last two segments (`src/cart.js`): the project root is
 *    unknown, and two segments survive different checkout locations while still telling
 *    `cart/index.js` from `user/index.js`.
 * Note: a relative `file` deeper than two segments and the same file seen only as an absolute path
 * under an unknown root can still differ; rule 5's list is where to add such roots. */
export function normalizeFramePath(frame: Pick<Frame, 'file' | 'absPath'>): string {
  let path = frame.file ?? frame.absPath ?? '';
  // Bundler schemes name project-relative sources (`webpack:///./src/x.js`, Sentry's `app:///`).
  path = path.replace(/^(webpack|app):\/\/[^/]*\/(\.\/)?/i, '');
  path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  path = path.replaceAll('\\', '/').replace(/^[A-Za-z]:\//, '/');
  const library = LIBRARY_MARKER.exec(path);
  if (library?.[1]) return library[1];
  if (!path.startsWith('/')) return path.replace(/^(\.\/)+/, '');
  for (const root of KNOWN_ROOTS) {
    if (root.test(path)) return path.replace(root, '');
  }
  return path.split('/').filter(Boolean).slice(-2).join('/');
}

/** Function names as different sources print them: V8's `async`, `new`, `[as alias]` dropped. */
export function normalizeFunction(name: string | undefined): string {
  return (name ?? '').replace(/^(async|new)\s+/, '').replace(/\s\[as [^\]]+\]$/, '').trim();
}

export function fingerprint(alert: Pick<Alert, 'errorType' | 'message' | 'frames'>): string {
  const top = topInAppFrame(alert.frames);
  const site = top ? `${normalizeFramePath(top)}:${normalizeFunction(top.function)}` : '';
  const input = `${alert.errorType}\n${normalizeMessage(alert.message)}\n${site}`;
  return createHash('sha256').update(input, 'utf8').digest('hex');
}
