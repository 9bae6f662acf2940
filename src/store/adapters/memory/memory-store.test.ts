import { MemoryTraceStore } from './memory-store.js';
import { describeTraceStoreContract } from '../../trace-store.contract.js';

describeTraceStoreContract('memory', () => Promise.resolve(new MemoryTraceStore()));
