import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { formatEndpointsJson, parseFunctionsJson, planDeployment } from './index.js';

describe('parseFunctionsJson', () => {
  it("reads vHive's file, eventing and applyScript included", () => {
    const text = JSON.stringify({
      functions: [
        { name: 'helloworld', file: 'helloworld.yaml', count: 1 },
        { name: 'pyaes', file: 'pyaes.yaml', count: 2, eventing: false, applyScript: '' },
      ],
    });
    expect(parseFunctionsJson(text).map((f) => [f.name, f.file, f.count])).toEqual([
      ['helloworld', 'helloworld.yaml', 1],
      ['pyaes', 'pyaes.yaml', 2],
    ]);
  });

  it.each([
    ['{', 'is not valid JSON'],
    ['[]', '(top level): expected an object {"functions": [...]}, got a list'],
    ['{"functions": {}}', 'functions: expected a list of {name, file, count}, got an object'],
    [
      '{"functions":[{"name":"Hello","file":"h.yaml","count":1}]}',
      'functions[0].name: expected a function name',
    ],
    [
      '{"functions":[{"name":"h","count":1}]}',
      'functions[0].file: expected the YAML file name, e.g. "helloworld.yaml", got nothing',
    ],
    [
      '{"functions":[{"name":"h","file":"h.yaml","count":-1}]}',
      'functions[0].count: expected a non-negative integer, got -1',
    ],
    [
      '{"functions":[{"name":"h","file":"h.yaml","count":"2"}]}',
      'functions[0].count: expected a non-negative integer, got "2"',
    ],
    [
      '{"functions":[{"name":"h","file":"a","count":1},{"name":"h","file":"b","count":1}]}',
      'functions[1].name: "h" appears twice',
    ],
  ])('refuses %s', (text, expected) => {
    expect(() => parseFunctionsJson(text, 'f.json')).toThrow(UserError);
    expect(() => parseFunctionsJson(text, 'f.json')).toThrow(expected);
  });
});

describe('planDeployment', () => {
  it('names instances <name>-<i> in file order, with vHive hostnames', () => {
    const plan = planDeployment(
      [
        { name: 'helloworld', file: 'helloworld.yaml', count: 1 },
        { name: 'pyaes', file: 'sub/pyaes.yaml', count: 2 },
        { name: 'none', file: 'x.yaml', count: 0 },
      ],
      { funcPath: '/cfg', namespace: 'lab', domain: '192.168.1.240.sslip.io' },
    );
    expect(plan).toEqual([
      {
        name: 'helloworld-0',
        namespace: 'lab',
        file: '/cfg/helloworld.yaml',
        hostname: 'helloworld-0.lab.192.168.1.240.sslip.io',
      },
      {
        name: 'pyaes-0',
        namespace: 'lab',
        file: '/cfg/sub/pyaes.yaml',
        hostname: 'pyaes-0.lab.192.168.1.240.sslip.io',
      },
      {
        name: 'pyaes-1',
        namespace: 'lab',
        file: '/cfg/sub/pyaes.yaml',
        hostname: 'pyaes-1.lab.192.168.1.240.sslip.io',
      },
    ]);
  });
});

describe('formatEndpointsJson', () => {
  it('is byte for byte Go\'s json.MarshalIndent(endpoints, "", "\\t")', () => {
    const expected =
      '[\n' +
      '\t{\n' +
      '\t\t"hostname": "helloworld-0.default.localhost",\n' +
      '\t\t"eventing": false,\n' +
      '\t\t"matchers": null\n' +
      '\t},\n' +
      '\t{\n' +
      '\t\t"hostname": "pyaes-0.default.localhost",\n' +
      '\t\t"eventing": false,\n' +
      '\t\t"matchers": null\n' +
      '\t}\n' +
      ']';
    expect(formatEndpointsJson(['helloworld-0.default.localhost', 'pyaes-0.default.localhost'])).toBe(
      expected,
    );
  });

  it('writes null for no endpoints, as a nil Go slice marshals', () => {
    expect(formatEndpointsJson([])).toBe('null');
  });
});
