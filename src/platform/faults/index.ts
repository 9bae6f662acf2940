/**
 * Fault injection: specs (`delay=50ms,cpu=20ms,memory=64Mi,error,crash,share=0.1`), the
 * platform's per-function table with its injection log (and its JSON-lines file), and the
 * instance-side execution.
 */
export {
  parseFaultSpec,
  parseFaultOrder,
  formatFaultOrder,
  formatFaultSpec,
  faultKinds,
} from './fault-spec.js';
export type { FaultOrder, FaultSpec } from './fault-spec.js';
export { createFaultTable } from './fault-table.js';
export type {
  FaultTable,
  FaultTableOptions,
  FaultInjection,
  FaultChange,
  FaultEvent,
  FaultSource,
  ActiveFault,
} from './fault-table.js';
export { openFaultLog, readFaultLog, type FaultLog } from './fault-log.js';
export { applyFault, FAULT_HEADER, NO_FAULT } from './apply-fault.js';
