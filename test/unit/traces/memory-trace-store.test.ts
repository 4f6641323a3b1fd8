import { MemoryTraceStore } from '../../../src/traces/memory-trace-store.ts';
import { traceStoreConformance } from '../../helpers/trace-store-conformance.ts';

traceStoreConformance('MemoryTraceStore', async (options) => {
  const store = new MemoryTraceStore(options);
  return { store, close: () => store.close() };
});
