// `Content-Encoding: gzip` request bodies, decoded as a stream with caps on both sides: the bytes
// received and the bytes inflated. A gzip bomb (a few KiB inflating to GiBs) is cut off as soon as
// the inflated size passes the cap, and the inflater is destroyed so it stops burning CPU.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../../errors.ts';

export class BodyError extends AppError {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super('TF_BODY', message);
    this.statusCode = statusCode;
  }
}

/** Content encodings we accept; anything else is a 415 (RFC 9110 §15.5.16). */
export function contentEncoding(header: string | string[] | undefined): 'identity' | 'gzip' | undefined {
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}

/** The stream Fastify's body reader gets instead of the request. It carries receivedEncodedLength,
 * which Fastify compares with Content-Length and with the body limit (fastify#4969). */
export function gunzipBody(payload: Readable, limit: number): Readable & { receivedEncodedLength: number } {
  const gunzip = zlib.createGunzip();
  let encoded = 0;
  let inflated = 0;
  const stop = (error: BodyError) => {
    payload.unpipe(gunzip);
    gunzip.destroy();
    out.destroy(error);
  };
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      inflated += chunk.length;
      if (inflated > limit) {
        callback();
        stop(new BodyError(413, `The decompressed body is larger than ${limit} bytes`));
        return;
      }
      callback(null, chunk);
    },
  }) as Transform & { receivedEncodedLength: number };
  Object.defineProperty(out, 'receivedEncodedLength', { get: () => encoded });
  payload.on('data', (chunk: Buffer) => {
    encoded += chunk.length;
    if (encoded > limit) stop(new BodyError(413, `The body is larger than ${limit} bytes`));
  });
  gunzip.on('error', (error) => {
    payload.unpipe(gunzip);
    out.destroy(new BodyError(400, `The body is not valid gzip: ${error.message}`));
  });
  payload.pipe(gunzip).pipe(out);
  return out;
}
