import { describe, expect, it } from 'vitest';
import { expandEnv, expandVars } from './expand-vars.js';

describe('expandVars (Kubernetes $(VAR) rules)', () => {
  const env = { PORT: '8080', NAME: 'fn', EMPTY: '' };
  it.each([
    ['--port=$(PORT)', '--port=8080'],
    ['$(NAME)-$(PORT)', 'fn-8080'],
    ['$$(PORT)', '$(PORT)'],
    ['$$$(PORT)', '$8080'],
    ['cost: $5', 'cost: $5'],
    ['$(UNDEFINED)', '$(UNDEFINED)'],
    ['x$(EMPTY)y', 'xy'],
    ['$(PORT', '$(PORT'],
    ['ends with $', 'ends with $'],
    ['$$', '$'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(expandVars(input, env)).toBe(expected);
  });

  it('expands env values in order, from earlier entries and the outer variables', () => {
    expect(
      expandEnv(
        [
          ['A', 'a'],
          ['B', '$(A)-$(PORT)'],
          ['C', '$(D)'],
          ['D', 'd'],
        ],
        { PORT: '8080' },
      ),
    ).toEqual({ A: 'a', B: 'a-8080', C: '$(D)', D: 'd' });
  });
});
