/**
 * The sandbox contract against the container sandbox with real runc: the contract's test
 * function runs in an OCI image this test builds (this machine's Node binary and its
 * libraries), with the package mounted read-only at its own path so the image runs
 * hivelab's runner on the test function, as the process sandbox does. Boot only: the
 * container sandbox has no snapshot or prewarm mode. Skipped, saying why and the fix, where
 * the machine cannot run containers (no runc, not root, no iproute2/iptables).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import { packageRoot } from '../../../package-root.js';
import { runSandboxContract } from '../testing/sandbox.contract.js';
import { buildNodeTestImage } from '../testing/oci-test-image.js';
import { checkOciRuntime } from './oci-runtime.js';

const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const check = checkOciRuntime();
const skipReason = check.ok ? undefined : `${check.problem}; fix: ${check.fix}`;
if (skipReason) process.stderr.write(`container sandbox contract skipped: ${skipReason}\n`);

describe.skipIf(skipReason !== undefined)('container sandbox contract (runc)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hivelab-ctr-contract-'));
  let image = '';
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  runSandboxContract(
    'container',
    {
      stateDir: path.join(dir, 'state'),
      imagesDir: path.join(os.tmpdir(), 'hivelab-test-images'),
      bindMounts: [packageRoot],
      readyTimeoutMs: 30_000,
    },
    {
      modes: ['boot'],
      setUp: async () => {
        image = await buildNodeTestImage(
          path.join(dir, 'layout'),
          { '/etc/hivelab-test-image': 'sandbox contract\n' },
          { env: [`PATH=${IMAGE_PATH}`] },
        );
      },
      adapt: (spec) => ({
        ...spec,
        image,
        containers: [
          {
            name: 'user-container',
            image,
            command: spec.command,
            env: spec.env,
            workingDir: spec.workingDir,
          },
        ],
      }),
      // The image's PATH; HOME is what runc sets from the image's /etc/passwd (or /) when unset.
      baseEnv: () => ({ names: ['PATH', 'HOME'], path: IMAGE_PATH }),
    },
  );
});
