// Datadog intake: what the webhook route calls, and the setup tracefix documents.
export { authenticateDatadog } from './auth.ts';
export { parseDatadogDelivery, datadogDeliveryId } from './parse-delivery.ts';
export { decodeDatadogBody } from './body.ts';
export {
  DATADOG_RECOMMENDED_PAYLOAD,
  DATADOG_RECOMMENDED_LOG_MONITOR_BLOCK,
  DATADOG_RECOMMENDED_APM_MONITOR_BLOCK,
  parseTracefixBlock,
  type TracefixBlock,
} from './template.ts';
export { datadogTraceIdToHex, datadogSpanIdToHex } from './trace-id.ts';
