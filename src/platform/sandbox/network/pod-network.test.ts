/**
 * Real pod networks (namespaces, veth pairs, iptables): what a hivelab killed with its pods
 * up leaves behind is removed by the next one. Skipped, saying why, without root or tools.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../package-root.js';
import { checkPodNetwork } from './pod-network-check.js';
import { removeStalePodNetworks } from './pod-network.js';

const check = checkPodNetwork();
const skipReason = check.ok ? undefined : `${check.problem}; fix: ${check.fix}`;
if (skipReason) process.stderr.write(`pod network tests skipped: ${skipReason}\n`);

const built = path.join(packageRoot, 'dist', 'platform', 'sandbox', 'network', 'pod-network.js');

describe.skipIf(skipReason !== undefined)('pod networks left by a killed hivelab', () => {
  it('are removed, rules and namespace, by the next process', async () => {
    // A process makes a pod network and is SIGKILLed before it can remove it.
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { createPodNetwork } = await import(${JSON.stringify(built)});
         const n = await createPodNetwork(8080);
         console.log(JSON.stringify({ pid: process.pid, block: n.plan.block, netns: n.plan.netns }));
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const left = JSON.parse(child.stdout.trim()) as { pid: number; block: number; netns: string };
    const mark = `hivelab-pod:${left.pid}:${left.block}`;
    const rules = (): string => execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' });
    expect(rules()).toContain(mark);
    expect(existsSync(`/run/netns/${left.netns}`)).toBe(true);
    expect(await removeStalePodNetworks()).toContain(left.block);
    expect(rules()).not.toContain(mark);
    expect(existsSync(`/run/netns/${left.netns}`)).toBe(false);
  });
});
