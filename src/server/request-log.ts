// One log line per request. Fastify logs "incoming request" and "request completed" for each, and a
// route that logs what it did adds a third; on the webhook hot path those lines cost more CPU than
// the HMAC check (each goes through pino's redaction). This controller writes a single line when
// the response is sent: method, URL, status, time, plus whatever the route noted about its work
// (noteForLog: delivery id, incident, outcome; an error code).
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Fields for the request's one log line (see noteForLog). */
    logFields: Record<string, unknown> | null;
  }
}

/** Adds fields to the one line logged when this request's response is sent. */
export function noteForLog(request: FastifyRequest, fields: Record<string, unknown>): void {
  request.logFields = request.logFields ? Object.assign(request.logFields, fields) : fields;
}

export class OneLineLogController extends LogController {
  override incomingRequest(): void {
    // Nothing: the request is described in the line written when it completes.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, statusCode: reply.statusCode, responseTime: reply.elapsedTime, ...request.logFields };
    if (error) reply.log.error({ ...line, err: error }, 'Request errored');
    else reply.log.info(line, 'Request completed');
  }
}

/** Gives every request the `logFields` slot (declared once, so requests keep one shape). */
export function declareLogFields(app: FastifyInstance): void {
  app.decorateRequest('logFields', null);
}
