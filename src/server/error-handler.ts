// Every error leaves as `{ statusCode, code, error, message, details? }`. A bad request is a 4xx
// that names the problem; only our own faults are 500s, and those never echo internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { RequestError } from '../errors.ts';
import { RAW_BODY_TYPES } from './raw-body.ts';
import { noteForLog } from './request-log.ts';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  503: 'Service Unavailable',
};

export function errorBody(statusCode: number, code: string, message: string, details?: unknown) {
  return {
    statusCode,
    code,
    error: REASONS[statusCode] ?? 'Error',
    message,
    ...(details === undefined ? {} : { details }),
  };
}

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  // Rejections are noted on the request's one log line (request-log.ts), not logged apart.
  if (error instanceof RequestError) {
    noteForLog(request, { code: error.code });
    return reply
      .code(error.statusCode)
      .send(errorBody(error.statusCode, error.code, error.message, error.details.length ? error.details : undefined));
  }
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    noteForLog(request, { code: 'TF_INVALID' });
    return reply.code(400).send(errorBody(400, 'TF_INVALID', 'The request does not match the expected shape', details));
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors: body too large (413), unsupported media type (415),
    // malformed JSON (400), unknown route or method.
    const code = (error as FastifyError).code ?? 'TF_BAD_REQUEST';
    noteForLog(request, { code });
    return reply.code(status).send(errorBody(status, code, clientErrorMessage(error as FastifyError, request)));
  }
  request.log.error({ err: error }, 'Request failed');
  return reply.code(500).send(errorBody(500, 'TF_INTERNAL', 'Internal error; see the service log'));
}

/** Fastify's own messages say what is wrong, not what would be right: say that too. */
function clientErrorMessage(error: FastifyError, request: FastifyRequest): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit;
    return `The body is larger than the limit of ${limit ?? 'the configured'} bytes (TRACEFIX_BODY_LIMIT sets it)`;
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const given = String(request.headers['content-type'] ?? '').split(';')[0]?.trim() || '(none)';
    return `Content-Type ${given} is not accepted; send one of: ${RAW_BODY_TYPES.join(', ')}`;
  }
  return error.message;
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody(404, 'TF_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
}
