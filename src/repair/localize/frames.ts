// Suspicion from the stack: the crash site is where the error surfaced, and its callers passed the
// values that got it there. Weights decay geometrically with distance from the crash (1, ½, ¼ …)
// over the in-app frames whose file is in the workspace; library frames carry no weight (the fix
// belongs in the repository's code).
import type { Bundle } from '../../../schemas/bundle.ts';
import { normalizeFunction } from '../../evidence/fingerprint.ts';
import { frameFile } from '../../reproduce/signature.ts';

export interface FrameLocation {
  file: string;
  line: number;
  function?: string;
  /** Index in bundle.exception.frames (0 = crash frame). */
  index: number;
  /** 1 for the innermost in-app frame, halved for each in-app caller. */
  weight: number;
  /** 0 for the crash site, k for the k-th in-app caller. */
  depth: number;
  reason: string;
}

export interface FrameOptions {
  /** Weight ratio between a frame and its caller. @defaultValue 0.5 */
  decay?: number;
  /** In-app frames considered. @defaultValue 10 */
  maxFrames?: number;
}

export function frameLocations(bundle: Bundle, workspaceFiles: readonly string[], options: FrameOptions = {}): FrameLocation[] {
  const decay = options.decay ?? 0.5;
  const max = options.maxFrames ?? 10;
  const files = new Set(workspaceFiles);
  const out: FrameLocation[] = [];
  const type = bundle.exception.type;
  for (const [index, frame] of bundle.exception.frames.entries()) {
    if (out.length >= max) break;
    if (!frame.inApp || !frame.line) continue;
    const file = frameFile(frame, workspaceFiles);
    if (!files.has(file)) continue;
    const depth = out.length;
    const fn = normalizeFunction(frame.function);
    out.push({
      file,
      line: frame.line,
      ...(fn ? { function: fn } : {}),
      index,
      weight: decay ** depth,
      depth,
      reason: depth === 0 ? `crash site: ${type} raised here (stack frame ${index})` : `caller ${depth} of the crash site (stack frame ${index})`,
    });
  }
  return out;
}
