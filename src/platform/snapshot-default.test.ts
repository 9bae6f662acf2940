// `hivelab up --snapshots` (vHive's -snapshots): the platform switches every JavaScript
// function that did not choose its own cold-start mode to snapshots, and leaves the rest.
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import { withSnapshotDefault } from './platform.js';
import { builtinFunctionSpec, parseServiceYaml } from './function-spec/index.js';
import { testSpec } from './testing/index.js';

describe('snapshot cold starts by default', () => {
  const yaml = (annotation: string) =>
    [
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata:',
      '  name: hello',
      'spec:',
      '  template:',
      ...(annotation ? ['    metadata:', '      annotations:', `        ${annotation}`] : []),
      '    spec:',
      '      containers:',
      '        - image: ghcr.io/ease-lab/helloworld:var_workload',
      '',
    ].join('\n');

  it.each([
    {
      what: 'a built-in without the annotation',
      spec: () => builtinFunctionSpec('builtin:helloworld', 'h'),
      mode: 'snapshot',
    },
    {
      what: 'a manifest without the annotation',
      spec: () => parseServiceYaml(yaml(''), { baseDir: packageRoot }),
      mode: 'snapshot',
    },
    {
      what: 'a manifest that asks for boot',
      spec: () => parseServiceYaml(yaml('hivelab.dev/cold-start: boot'), { baseDir: packageRoot }),
      mode: 'boot',
    },
    {
      what: 'a manifest that asks for prewarm',
      spec: () => parseServiceYaml(yaml('hivelab.dev/cold-start: prewarm'), { baseDir: packageRoot }),
      mode: 'prewarm',
    },
    { what: 'a plain executable (nothing to snapshot)', spec: () => testSpec('exe'), mode: 'boot' },
  ])('$what → $mode', ({ spec, mode }) => {
    expect(withSnapshotDefault(spec()).coldStart).toBe(mode);
  });
});
