import { describe, expect, it } from 'vitest';
import { podReachableEnv, podReachableUrl } from './pod-env.js';
import { podNetworkVerdict } from './pod-network-check.js';
import { hostNatRules, podNetworkPlan, podSetupBatch, staleHostRules } from './pod-network-plan.js';

describe('pod network plan', () => {
  const plan = podNetworkPlan(65);
  it('numbers /30 blocks: host end .1, pod .2', () => {
    expect(plan).toEqual({
      block: 65,
      netns: 'hivelab-65',
      hostInterface: 'hl65',
      hostIp: '10.213.1.5',
      podIp: '10.213.1.6',
    });
  });
  it('the pod routes to the host end by default, and the host takes its calls to its loopback', () => {
    expect(podSetupBatch(plan)).toContain('route add default via 10.213.1.5\n');
    const rules = hostNatRules(plan, 40000, 8080, '-A', 4242);
    expect(rules).toContain(
      '-A OUTPUT -d 127.0.0.1/32 -p tcp -m tcp --dport 40000 -m comment --comment "hivelab-pod:4242:65" -j DNAT --to-destination 10.213.1.6:8080',
    );
    expect(rules).toContain(
      '-A PREROUTING -i hl65 -d 10.213.1.5/32 -p tcp -m comment --comment "hivelab-pod:4242:65" -j DNAT --to-destination 127.0.0.1',
    );
    // Removal deletes exactly the rules added.
    expect(hostNatRules(plan, 40000, 8080, '-D', 4242)).toBe(rules.replaceAll('-A ', '-D '));
  });
  it("finds the rules of pods whose owner is gone, not a live owner's nor other programs'", () => {
    const saved = [
      '*nat',
      ':OUTPUT ACCEPT [0:0]',
      '-A OUTPUT -d 127.0.0.1/32 -p tcp -m tcp --dport 1 -m comment --comment "hivelab-pod:10:3" -j DNAT --to-destination 10.213.0.14:8080',
      '-A POSTROUTING -s 10.213.0.14/32 ! -o hl3 -m comment --comment "hivelab-pod:10:3" -j MASQUERADE',
      '-A OUTPUT -d 127.0.0.1/32 -p tcp -m tcp --dport 2 -m comment --comment "hivelab-pod:11:4" -j DNAT --to-destination 10.213.0.18:8080',
      '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
      'COMMIT',
    ].join('\n');
    expect(staleHostRules(saved, (pid) => pid === 11)).toEqual({
      restore: [
        '*nat',
        '-D OUTPUT -d 127.0.0.1/32 -p tcp -m tcp --dport 1 -m comment --comment "hivelab-pod:10:3" -j DNAT --to-destination 10.213.0.14:8080',
        '-D POSTROUTING -s 10.213.0.14/32 ! -o hl3 -m comment --comment "hivelab-pod:10:3" -j MASQUERADE',
        'COMMIT',
        '',
      ].join('\n'),
      blocks: [3],
    });
    expect(staleHostRules(saved, () => true)).toBeUndefined();
  });
});

describe("hivelab's URLs as the pod sees them", () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://10.213.0.1:8080'],
    ['http://localhost:9411/api/v2/spans', 'http://10.213.0.1:9411/api/v2/spans'],
    ['http://127.0.0.1:8080/', 'http://10.213.0.1:8080/'],
    ['http://collector.lab:9411/api/v2/spans', 'http://collector.lab:9411/api/v2/spans'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['not a url', 'not a url'],
  ])('%s -> %s', (url, expected) => {
    expect(podReachableUrl(url, '10.213.0.1')).toBe(expected);
  });
  it('rewrites only the gateway and collector variables', () => {
    expect(
      podReachableEnv(
        {
          HIVELAB_GATEWAY_URL: 'http://127.0.0.1:8080',
          HIVELAB_ZIPKIN_URL: 'http://127.0.0.1:9411/api/v2/spans',
          DB: 'http://127.0.0.1:5432',
        },
        '10.213.0.1',
      ),
    ).toEqual({
      HIVELAB_GATEWAY_URL: 'http://10.213.0.1:8080',
      HIVELAB_ZIPKIN_URL: 'http://10.213.0.1:9411/api/v2/spans',
      DB: 'http://127.0.0.1:5432',
    });
  });
});

describe('whether pod networks can be had', () => {
  it('needs root, naming the uid and the fix', () => {
    expect(podNetworkVerdict(1000, () => true)).toEqual({
      ok: false,
      problem: 'pod networks need root (network namespaces, veth pairs, NAT rules); hivelab runs as uid 1000',
      fix: 'run hivelab as root (sudo)',
    });
  });
  it('names the missing tools and their packages', () => {
    expect(podNetworkVerdict(0, (name) => name === 'ip')).toEqual({
      ok: false,
      problem: 'pod networks need iptables-restore, nsenter, not installed',
      fix: 'apt-get install -y iptables util-linux',
    });
    expect(podNetworkVerdict(0, () => true)).toEqual({ ok: true });
  });
});
