import { describe, expect, it } from 'vitest';
import type { Span } from '../spans/index.js';
import { makeSpan } from '../spans/testing/index.js';
import { linkDependencies } from './link-dependencies.js';

const TRACE = '0000000000000001';
/** What the cases' spans share, as overrides of the one span factory: no defaults but these. */
const BASE = {
  traceId: TRACE,
  timestamp: 1,
  duration: 1,
  name: undefined,
  kind: undefined,
  localEndpoint: undefined,
  tags: undefined,
} satisfies Partial<Span>;
const local = (serviceName: string) => ({ serviceName });

describe('linkDependencies (Zipkin DependencyLinker rules)', () => {
  const cases: { name: string; spans: Span[]; links: ReturnType<typeof linkDependencies> }[] = [
    {
      // web SERVER (no caller known): no link for the root itself
      name: 'a root server without a remote service adds no link',
      spans: [makeSpan({ ...BASE, id: 'a', kind: 'SERVER', localEndpoint: local('web') })],
      links: [],
    },
    {
      // (uninstrumented browser) ─► web SERVER
      name: 'a root server with a remote service links the caller',
      spans: [
        makeSpan({
          ...BASE,
          id: 'a',
          kind: 'SERVER',
          localEndpoint: local('web'),
          remoteEndpoint: local('browser'),
        }),
      ],
      links: [{ parent: 'browser', child: 'web', callCount: 1, errorCount: 0 }],
    },
    {
      // web SERVER ─► web CLIENT ─► (uninstrumented db)
      name: 'a leaf client links to its remote service',
      spans: [
        makeSpan({ ...BASE, id: 'a', kind: 'SERVER', localEndpoint: local('web') }),
        makeSpan({
          ...BASE,
          id: 'b',
          parentId: 'a',
          kind: 'CLIENT',
          localEndpoint: local('web'),
          remoteEndpoint: local('db'),
        }),
      ],
      links: [{ parent: 'web', child: 'db', callCount: 1, errorCount: 0 }],
    },
    {
      // frontend SERVER ─► frontend CLIENT ─► (profile, reports nothing)
      //                      ├ profile-sidecar: request filters   (local)
      //                      └ profile-sidecar: upstream          (local)
      // Zipkin skips a client with any children; a client with local children only still
      // links to its remote service here (the hotel trace of the UI's tests).
      name: 'a client whose children are all local spans links to its remote service',
      spans: [
        makeSpan({ ...BASE, id: 'a', kind: 'SERVER', localEndpoint: local('frontend') }),
        makeSpan({
          ...BASE,
          id: 'b',
          parentId: 'a',
          kind: 'CLIENT',
          localEndpoint: local('frontend'),
          remoteEndpoint: local('profile'),
        }),
        makeSpan({ ...BASE, id: 'c', parentId: 'b', localEndpoint: local('profile-sidecar') }),
        makeSpan({ ...BASE, id: 'd', parentId: 'b', localEndpoint: local('profile-sidecar') }),
      ],
      links: [{ parent: 'frontend', child: 'profile', callCount: 1, errorCount: 0 }],
    },
    {
      // web SERVER ─► web CLIENT ─► local (retry loop) ─► api SERVER
      name: 'a client with a server below its local children is left to that server (one link)',
      spans: [
        makeSpan({ ...BASE, id: 'a', kind: 'SERVER', localEndpoint: local('web') }),
        makeSpan({
          ...BASE,
          id: 'b',
          parentId: 'a',
          kind: 'CLIENT',
          localEndpoint: local('web'),
          remoteEndpoint: local('api-lb'),
        }),
        makeSpan({ ...BASE, id: 'c', parentId: 'b', localEndpoint: local('web') }),
        makeSpan({ ...BASE, id: 'd', parentId: 'c', kind: 'SERVER', localEndpoint: local('api') }),
      ],
      links: [{ parent: 'web', child: 'api', callCount: 1, errorCount: 0 }],
    },
    {
      // api PRODUCER ─► kafka ─► worker CONSUMER
      name: 'messaging links producer → broker and broker → consumer',
      spans: [
        makeSpan({
          ...BASE,
          id: 'a',
          kind: 'PRODUCER',
          localEndpoint: local('api'),
          remoteEndpoint: local('kafka'),
        }),
        makeSpan({
          ...BASE,
          id: 'b',
          parentId: 'a',
          kind: 'CONSUMER',
          localEndpoint: local('worker'),
          remoteEndpoint: local('kafka'),
        }),
      ],
      links: [
        { parent: 'api', child: 'kafka', callCount: 1, errorCount: 0 },
        { parent: 'kafka', child: 'worker', callCount: 1, errorCount: 0 },
      ],
    },
    {
      // (missing root) ─► api SERVER ─► local ─► api CLIENT ─► db
      name: 'a headless trace still links, local spans are skipped',
      spans: [
        makeSpan({ ...BASE, id: 'b', parentId: 'gone', kind: 'SERVER', localEndpoint: local('api') }),
        makeSpan({ ...BASE, id: 'c', parentId: 'b', localEndpoint: local('api') }),
        makeSpan({
          ...BASE,
          id: 'd',
          parentId: 'c',
          kind: 'CLIENT',
          localEndpoint: local('api'),
          remoteEndpoint: local('db'),
        }),
      ],
      links: [{ parent: 'api', child: 'db', callCount: 1, errorCount: 0 }],
    },
    {
      name: 'a span without kind but with both services counts as a client',
      spans: [makeSpan({ ...BASE, id: 'a', localEndpoint: local('web'), remoteEndpoint: local('cache') })],
      links: [{ parent: 'web', child: 'cache', callCount: 1, errorCount: 0 }],
    },
    {
      // web SERVER ─► web CLIENT (error) ─► api SERVER (split, own id)
      name: 'the server half of a split RPC inherits the client error',
      spans: [
        makeSpan({ ...BASE, id: 'a', kind: 'SERVER', localEndpoint: local('web') }),
        makeSpan({
          ...BASE,
          id: 'b',
          parentId: 'a',
          kind: 'CLIENT',
          localEndpoint: local('web'),
          tags: { error: 'timeout' },
        }),
        makeSpan({ ...BASE, id: 'c', parentId: 'b', kind: 'SERVER', localEndpoint: local('api') }),
      ],
      links: [{ parent: 'web', child: 'api', callCount: 1, errorCount: 1 }],
    },
    {
      // web SERVER ─► api CLIENT (wrong service on the client) ─► db
      name: 'a client in another service than its server backfills that hop',
      spans: [
        makeSpan({ ...BASE, id: 'a', kind: 'SERVER', localEndpoint: local('web') }),
        makeSpan({
          ...BASE,
          id: 'b',
          parentId: 'a',
          kind: 'CLIENT',
          localEndpoint: local('api'),
          remoteEndpoint: local('db'),
        }),
      ],
      links: [
        { parent: 'api', child: 'db', callCount: 1, errorCount: 0 },
        { parent: 'web', child: 'api', callCount: 1, errorCount: 0 },
      ],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(linkDependencies([c.spans])).toEqual(c.links);
    });
  }

  it('sums calls and errors over traces and never mutates its input', () => {
    const trace = [
      makeSpan({ ...BASE, id: 'a', kind: 'SERVER', localEndpoint: local('web') }),
      makeSpan({
        ...BASE,
        id: 'b',
        parentId: 'a',
        kind: 'CLIENT',
        localEndpoint: local('web'),
        remoteEndpoint: local('db'),
      }),
    ];
    const failing = trace.map((s) => (s.id === 'b' ? { ...s, tags: { error: '' } } : s));
    const frozen = JSON.stringify(trace);
    expect(linkDependencies([trace, trace, failing])).toEqual([
      { parent: 'web', child: 'db', callCount: 3, errorCount: 1 },
    ]);
    expect(JSON.stringify(trace)).toBe(frozen);
  });
});
