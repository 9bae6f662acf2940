import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../errors.js';
import { eventually, expectSanePhases, runSandboxContract, testSpec } from '../testing/sandbox.contract.js';
import { createSandboxDriver } from '../sandbox-driver.js';

runSandboxContract('worker');

describe('worker sandbox specifics', () => {
  const driver = createSandboxDriver('worker', { prewarmPoolSize: 1 });
  afterAll(() => driver.close());

  it('prewarm: specialises a pooled worker and refills the pool', async () => {
    const spec = testSpec({ sandbox: 'worker', coldStart: 'prewarm' });
    await driver.prepare(spec);
    expect(driver.prewarmAvailable()).toBe(1);
    const sandbox = driver.launch(spec, 'wpre-1');
    const phases = await sandbox.ready;
    expect(phases.spawnMs).toBe(0);
    expectSanePhases(phases);
    expect(await (await fetch(`http://127.0.0.1:${sandbox.port}/env?key=GREETING_TARGET`)).text()).toBe(
      'contract',
    );
    await eventually(() => driver.prewarmAvailable() === 1);
    await sandbox.stop(2000);
  });

  it('refuses snapshot mode and executables that are not JavaScript', () => {
    expect(() => driver.launch(testSpec({ sandbox: 'worker', coldStart: 'snapshot' }), 'w1')).toThrow(
      /'snapshot' needs the process sandbox/,
    );
    const plain = testSpec({ sandbox: 'worker', command: ['/usr/bin/python3'] });
    delete plain.handlerModule;
    expect(() => driver.launch(plain, 'w2')).toThrow(UserError);
  });
});
