/**
 * Seed 000 ("vHive Tracing") as a plan: four steps, what each does and what to look at,
 * with the seed's rates and durations (or short ones with `quick`), and the deployer files
 * the seed hands its users (`singleFunction.json`, `twoFunctions.json`). Pure.
 */

/** Step numbers, as the seed orders them. */
export type StepNumber = 1 | 2 | 3 | 4;
export const STEP_NUMBERS: readonly StepNumber[] = [1, 2, 3, 4];

/** One invoker run of a step. */
export interface InvokerRun {
  rps: number;
  durationS: number;
}

export interface TutorialStep {
  n: StepNumber;
  title: string;
  /** What hivelab does, as the seed's commands would. */
  does: string;
  /** What the reader should look at afterwards. */
  lookAt: string;
  /** The invoker run (steps 1-3). */
  run?: InvokerRun;
  /** The deployer input of steps 1-3 (a file of `tutorialDeployFiles()`). */
  deployFile?: string;
  /** Step 4: decoder frame counts, one chain invocation each. */
  frames?: readonly number[];
}

/** Pure: the steps to run (all, or the one `only` names), with quick or the seed's parameters. */
export function tutorialPlan(options: { quick: boolean; only?: StepNumber }): TutorialStep[] {
  const q = options.quick;
  const steps: TutorialStep[] = [
    {
      n: 1,
      title: 'One helloworld function',
      does: `deploy singleFunction.json (helloworld-0), then invoke it at 1 rps for ${q ? 3 : 10} s`,
      deployFile: 'singleFunction.json',
      lookAt:
        'issued vs completed and the first request: it cold-starts the function (initial scale 0), the rest are warm',
      run: { rps: 1, durationS: q ? 3 : 10 },
    },
    {
      n: 2,
      title: 'Three helloworlds and pyaes',
      // Quick: one helloworld beside pyaes, so the cold starts of a loaded test machine do not queue.
      does: q
        ? 'deploy quickFunctions.json (helloworld-0, pyaes-0: twoFunctions.json has three helloworlds), then invoke them round-robin at 4 rps for 1 s'
        : 'deploy twoFunctions.json (helloworld-0..2, pyaes-0), then invoke them round-robin at 4 rps for 10 s',
      lookAt: "each function's first request is a boot cold start; compare the CDF's tail with step 1's",
      run: { rps: 4, durationS: q ? 1 : 10 },
      deployFile: q ? 'quickFunctions.json' : 'twoFunctions.json',
    },
    {
      n: 3,
      title: 'The same with snapshot cold starts',
      does: 'restart the platform with snapshots for every function (vHive -snapshots: taken after the 2nd invocation), redeploy, invoke again at 4 rps',
      lookAt: 'the cold requests now restore from a V8 startup snapshot: compare cold latency with step 2',
      run: { rps: 4, durationS: q ? 1 : 10 },
      deployFile: q ? 'quickFunctions.json' : 'twoFunctions.json',
    },
    {
      n: 4,
      title: 'Video analytics, traced',
      does: 'apply the video analytics manifests (streaming -> decoder -> recog) with 1 frame, invoke streaming once, then again with 6 frames',
      lookAt: 'the two traces: recog once, then recog 6 times in sequence (the timeline plot)',
      frames: [1, 6],
    },
  ];
  return options.only === undefined ? steps : steps.filter((s) => s.n === options.only);
}

/** vHive's deployer input for `count` instances of each function type. */
export function functionsJson(types: readonly { name: string; file: string; count: number }[]): string {
  return `${JSON.stringify({ functions: types }, null, 2)}\n`;
}

/**
 * Pure: a Knative Service for a built-in, as vSwarm writes them (gRPC on a port named h2c),
 * starting from zero instances so the first request is a cold start.
 */
export function builtinServiceYaml(name: string, image: string): string {
  return [
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    'spec:',
    '  template:',
    '    metadata:',
    '      annotations:',
    '        autoscaling.knative.dev/initial-scale: "0"',
    '    spec:',
    '      containers:',
    `        - image: ${image}`,
    '          ports:',
    '            - name: h2c',
    '              containerPort: 50051',
    '',
  ].join('\n');
}

/** The files step 1-3 deploy from (written into the output folder so a reader can rerun them). */
export function tutorialDeployFiles(): Record<string, string> {
  return {
    'helloworld.yaml': builtinServiceYaml('helloworld', 'ghcr.io/ease-lab/helloworld:var_workload'),
    'pyaes.yaml': builtinServiceYaml('pyaes', 'ghcr.io/ease-lab/pyaes:var_workload'),
    'singleFunction.json': functionsJson([{ name: 'helloworld', file: 'helloworld.yaml', count: 1 }]),
    'twoFunctions.json': functionsJson([
      { name: 'helloworld', file: 'helloworld.yaml', count: 3 },
      { name: 'pyaes', file: 'pyaes.yaml', count: 1 },
    ]),
    'quickFunctions.json': functionsJson([
      { name: 'helloworld', file: 'helloworld.yaml', count: 1 },
      { name: 'pyaes', file: 'pyaes.yaml', count: 1 },
    ]),
  };
}

/** Pure: `helloworld-2.default.localhost` → `helloworld-2`; the function type is `helloworld`. */
export function functionOfEndpoint(hostname: string): { name: string; type: string } {
  const name = hostname.split('.')[0] ?? hostname;
  return { name, type: name.replace(/-\d+$/, '') };
}
