import { describe, expect, it } from 'vitest';
import { parseEndpoints } from './endpoints.js';

describe("vHive's endpoints.json", () => {
  it('reads hostname and eventing, ignoring matchers', () => {
    expect(
      parseEndpoints(
        [
          { hostname: 'helloworld-0.default.192.168.1.240.sslip.io', eventing: false, matchers: null },
          { hostname: 'pyaes-0.default.localhost', eventing: true },
        ],
        'endpoints.json',
      ),
    ).toEqual([
      { hostname: 'helloworld-0.default.192.168.1.240.sslip.io', eventing: false },
      { hostname: 'pyaes-0.default.localhost', eventing: true },
    ]);
  });

  it.each([
    [{ hostname: 'x' }, /expected a JSON array/],
    [[], /the endpoint list is empty/],
    [[{ hostname: 'a' }, { name: 'b' }], /\[1\]\.hostname must be a non-empty string/],
    [[null], /\[0\]\.hostname must be a non-empty string/],
  ])('refuses %j', (data, message) => {
    expect(() => parseEndpoints(data, 'e.json')).toThrow(message);
  });
});
