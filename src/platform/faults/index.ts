/**
 * Fault injection: specs (`delay=50ms,cpu=20ms,memory=64Mi,error,crash,share=0.1`), the
 * platform's per-function table with its injection log, and the instance-side execution.
 */
export { parseFaultSpec, parseFaultOrder, formatFaultOrder, faultKinds } from './fault-spec.js';
export type { FaultOrder, FaultSpec } from './fault-spec.js';
export { createFaultTable } from './fault-table.js';
export type { FaultTable, FaultTableOptions, FaultInjection, FaultChange } from './fault-table.js';
export { applyFault, FAULT_HEADER } from './apply-fault.js';
