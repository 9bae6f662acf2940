import { describe, expect, it } from 'vitest';
import { podReachableEnv, podReachableUrl } from './pod-env.js';
import { podNetworkVerdict } from './pod-network-check.js';
import { hostNatRules, podNetworkPlan, podSetupBatch } from './pod-network-plan.js';

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
    const rules = hostNatRules(plan, 40000, 8080, '-A');
    expect(rules).toContain(
      '-A OUTPUT -d 127.0.0.1/32 -p tcp -m tcp --dport 40000 -j DNAT --to-destination 10.213.1.6:8080',
    );
    expect(rules).toContain(
      '-A PREROUTING -i hl65 -d 10.213.1.5/32 -p tcp -j DNAT --to-destination 127.0.0.1',
    );
    // Removal deletes exactly the rules added.
    expect(hostNatRules(plan, 40000, 8080, '-D')).toBe(rules.replaceAll('-A ', '-D '));
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
