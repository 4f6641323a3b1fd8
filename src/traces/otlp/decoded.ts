// What the request normalizers return, and the error a body that cannot be read at all raises.
import { AppError } from '../../errors.ts';

/** Records that passed, plus the count and reasons of those rejected one by one (they become the
 * response's partialSuccess; the spec says clients must not retry those). */
export interface Decoded<T> {
  records: T[];
  rejected: number;
  /** The first few reasons, for partialSuccess.errorMessage and the log. */
  reasons: string[];
}

export const MAX_REASONS = 5;

export function addRejection<T>(decoded: Decoded<T>, reason: string): void {
  decoded.rejected += 1;
  if (decoded.reasons.length < MAX_REASONS) decoded.reasons.push(reason);
}

/** One line for partialSuccess.errorMessage. */
export function rejectionMessage(decoded: Decoded<unknown>, noun: string): string {
  if (decoded.rejected === 0) return '';
  const more = decoded.rejected > decoded.reasons.length ? `; and ${decoded.rejected - decoded.reasons.length} more` : '';
  return `${decoded.rejected} ${noun} rejected: ${decoded.reasons.join('; ')}${more}`;
}

/** The body as a whole is not an OTLP request (not JSON, not the protobuf message, wrong shape):
 * the route answers 400 with this message. */
export class OtlpDecodeError extends AppError {
  constructor(message: string) {
    super('TF_OTLP_DECODE', message);
  }
}

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An array-valued field: absent → [], present but not an array → a decode error. */
export function arrayField(parent: Obj, key: string, where: string): unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${where}.${key} must be an array`);
  return value;
}
