import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { builtinFunctionSpec, validateFunctionSpec } from './index.js';

describe('validateFunctionSpec', () => {
  const good = builtinFunctionSpec('builtin:helloworld', 'hello-0', { workingDir: '/tmp' });
  const tcpProbe = {
    handler: { kind: 'tcpSocket' },
    initialDelaySeconds: 0,
    periodSeconds: 0,
    timeoutSeconds: 0,
    failureThreshold: 0,
    successThreshold: 1,
  };

  it('accepts what builtinFunctionSpec and JSON round trips produce', () => {
    expect(validateFunctionSpec(JSON.parse(JSON.stringify(good)))).toEqual(good);
    const passing = { ...good, passEnv: ['AWS_REGION', 'LD_LIBRARY_PATH'] };
    expect(validateFunctionSpec(JSON.parse(JSON.stringify(passing)))).toEqual(passing);
    const probed = { ...good, readinessProbe: tcpProbe };
    expect(validateFunctionSpec(JSON.parse(JSON.stringify(probed)))).toEqual(probed);
  });

  it.each([
    [{ ...good, name: 'Hello' }, 'name: expected a DNS label'],
    [{ ...good, command: [] }, 'command: expected a list [executable, ...args], got an empty list'],
    [{ ...good, workingDir: 'rel' }, 'workingDir: expected an absolute path, got "rel"'],
    [{ ...good, protocol: 'h3' }, 'protocol: expected "http1" or "h2c", got "h3"'],
    [{ ...good, extra: 1 }, 'unknown field(s) extra'],
    [
      { ...good, autoscaling: { ...good.autoscaling, panicThresholdPercentage: 50 } },
      'autoscaling.panicThresholdPercentage: expected a number from 110 to 1000, got 50',
    ],
    [
      { ...good, autoscaling: { ...good.autoscaling, minScale: 3, maxScale: 2 } },
      'autoscaling.minScale: must not exceed maxScale (2)',
    ],
    [{ ...good, handlerModule: undefined, sandbox: 'worker' }, 'handlerModule: required by sandbox "worker"'],
    [
      { ...good, passEnv: ['OK', 'NOT OK'] },
      'passEnv[1]: expected an environment variable name, e.g. "AWS_REGION"',
    ],
    [{ ...good, passEnv: 'A,B' }, 'passEnv: expected a list of environment variable names'],
    ['nope', '(top level): expected a FunctionSpec object, got "nope"'],
    [
      { ...good, readinessProbe: { ...tcpProbe, timeoutSeconds: 2 } },
      "readinessProbe: timeoutSeconds and failureThreshold must be 0 when periodSeconds is 0 (Knative's aggressive probing)",
    ],
    [
      {
        ...good,
        livenessProbe: {
          ...tcpProbe,
          periodSeconds: 10,
          timeoutSeconds: 1,
          failureThreshold: 3,
          successThreshold: 2,
        },
      },
      'livenessProbe.successThreshold: must be 1',
    ],
    [{ ...good, readinessProbe: { ...tcpProbe, handler: { kind: 'exec' } } }, 'readinessProbe.handler'],
  ])('refuses %#', (json, expected) => {
    expect(() => validateFunctionSpec(json)).toThrow(UserError);
    expect(() => validateFunctionSpec(json)).toThrow(expected);
  });
});

describe('builtinFunctionSpec', () => {
  it('maps vSwarm images and applies overrides', () => {
    const spec = builtinFunctionSpec('ghcr.io/ease-lab/pyaes:var_workload', 'pyaes-1', {
      namespace: 'lab',
      containerConcurrency: 1,
    });
    expect(spec.handlerModule).toMatch(/dist\/functions\/aes\.js$/);
    expect(spec.command[0]).toBe(process.execPath);
    expect(spec.namespace).toBe('lab');
    expect(spec.protocol).toBe('h2c');
    expect(spec.autoscaling.target).toBe(1);
  });

  it('refuses an unknown image with what hivelab can run', () => {
    expect(() => builtinFunctionSpec('builtin:nope', 'x')).toThrow(/not a hivelab built-in/);
  });
});
