/** Test support of spans/: the one span factory every test in hivelab uses. */
export { makeSpan, uniqueHexId } from './make-span.js';
