import { MemoryTraceStore } from './memory-store.js';
import { runTraceStoreContract } from '../../testing/trace-store-contract.js';

runTraceStoreContract({ name: 'memory', make: () => Promise.resolve(new MemoryTraceStore()) });
