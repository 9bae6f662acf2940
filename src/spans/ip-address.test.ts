import { describe, expect, test } from 'vitest';
import { ipv4FromBytes, ipv4ToBytes, ipv6FromBytes, ipv6ToBytes } from './ip-address.js';

describe('ip addresses', () => {
  test.each(['127.0.0.1', '10.20.30.40', '255.255.255.255', '0.0.0.0'])('ipv4 %s round trips', (ip) => {
    expect(ipv4FromBytes(ipv4ToBytes(ip)!)).toBe(ip);
  });

  test.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '1..2.3', ''])('ipv4 %j is refused', (ip) => {
    expect(ipv4ToBytes(ip)).toBeUndefined();
  });

  test.each([
    ['2001:db8::1', '2001:db8::1'],
    ['::1', '::1'],
    ['::', '::'],
    ['fe80::', 'fe80::'],
    ['2001:0DB8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
  ])('ipv6 %s → %s (RFC 5952)', (text, canonical) => {
    expect(ipv6FromBytes(ipv6ToBytes(text)!)).toBe(canonical);
  });

  test.each(['1::2::3', '1:2:3:4:5:6:7', 'g::1', '12345::', '1:2:3:4:5:6:7:8:9'])(
    'ipv6 %j is refused',
    (ip) => {
      expect(ipv6ToBytes(ip)).toBeUndefined();
    },
  );

  test('wrong byte lengths give undefined', () => {
    expect(ipv4FromBytes(new Uint8Array(3))).toBeUndefined();
    expect(ipv6FromBytes(new Uint8Array(4))).toBeUndefined();
  });
});
