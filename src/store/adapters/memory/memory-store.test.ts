import { MemoryTraceStore } from './memory-store.js';
import { describeTraceStoreContract } from '../../testing/trace-store-contract.js';

describeTraceStoreContract('memory', () => Promise.resolve(new MemoryTraceStore()));
