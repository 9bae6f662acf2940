/**
 * Test support of store/ for other subsystems' tests: the contract suites and a private
 * PostgreSQL database per suite (skipped with the reason where no server is reachable).
 */
export { runTraceStoreContract, SUITE_SPAN, NOW_MS } from './trace-store-contract.js';
export { runTraceSummaryContract, countingSummarizer } from './trace-summary-contract.js';
export {
  PG_TEST_URL,
  PG_SKIP_REASON,
  pgSuiteName,
  createTestDatabase,
  resetTestDatabase,
  urlFor,
  type TestDatabase,
} from '../adapters/postgres/testing/pg-test-database.js';
