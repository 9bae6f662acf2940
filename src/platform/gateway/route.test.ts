import { describe, expect, it } from 'vitest';
import { HttpError } from '../../errors.js';
import { resolveRoute, stripPort } from './route.js';

const deployed = new Set(['default/helloworld-0', 'team/pyaes']);
const isDeployed = (ns: string, name: string): boolean => deployed.has(`${ns}/${name}`);

describe('resolveRoute', () => {
  it.each([
    ['helloworld-0.default.localhost:8080', '/', 'default', 'helloworld-0', '/'],
    ['helloworld-0.default.localhost', '/a?b=1', 'default', 'helloworld-0', '/a?b=1'],
    ['HelloWorld-0.Default.LOCALHOST:80', '/', 'default', 'helloworld-0', '/'],
    ['helloworld-0.default.192.168.1.240.sslip.io', '/', 'default', 'helloworld-0', '/'],
    ['pyaes.team.svc.cluster.local:80', '/x', 'team', 'pyaes', '/x'],
  ])('routes host %s', (host, path, namespace, name, seen) => {
    expect(resolveRoute(host, path, isDeployed)).toEqual({ namespace, name, path: seen });
  });

  it.each([
    ['/fn/helloworld-0/hello?x=1', '/hello?x=1'],
    ['/fn/helloworld-0', '/'],
    ['/fn/helloworld-0?x=1', '/?x=1'],
    ['/fn/helloworld-0/', '/'],
  ])('routes path %s to the default namespace, prefix removed', (path, seen) => {
    expect(resolveRoute('localhost:8080', path, isDeployed)).toEqual({
      namespace: 'default',
      name: 'helloworld-0',
      path: seen,
    });
  });

  it('prefers the host, leaving a /fn/ path untouched for the function', () => {
    expect(resolveRoute('pyaes.team.localhost', '/fn/helloworld-0/', isDeployed)).toEqual({
      namespace: 'team',
      name: 'pyaes',
      path: '/fn/helloworld-0/',
    });
  });

  it.each([
    ['localhost:8080', '/'],
    ['nothere.default.localhost', '/'],
    ['helloworld-0.other.localhost', '/'],
    [undefined, '/fn/nothere/'],
    ['127.0.0.1:8080', '/fn/pyaes/'], // pyaes is not in `default`
  ])('finds nothing for %s %s', (host, path) => {
    expect(resolveRoute(host, path, isDeployed)).toBeUndefined();
  });
});

describe('resolveRoute with a malformed %-escape', () => {
  it.each(['/fn/%zz/', '/fn/hello%/', '/fn/%C3%28/x'])(
    'throws a 400 naming the function name for %s',
    (path) => {
      const error = (() => {
        try {
          resolveRoute('localhost:8080', path, isDeployed);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toContain(
        'function name in the path is not valid percent-encoding',
      );
    },
  );

  it('still routes a well-formed escape', () => {
    expect(resolveRoute(undefined, '/fn/helloworld%2D0/', isDeployed)).toMatchObject({
      name: 'helloworld-0',
    });
  });
});

describe('stripPort', () => {
  it.each([
    ['a.b:80', 'a.b'],
    ['a.b', 'a.b'],
    ['[::1]:8080', '[::1]'],
  ])('%s → %s', (host, expected) => expect(stripPort(host)).toBe(expected));
});
