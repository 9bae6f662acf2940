import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildInvocationContext } from './invocation-context.js';
import { READY_LINE_PREFIX, asRunnerReport, parseReportLine } from './runner-report.js';
import type { RunnerReadyReport } from './runner-report.js';
import { runtimeRunnerPath } from './index.js';

const testFunction = fileURLToPath(new URL('../sandbox/testing/fixtures/test-function.mjs', import.meta.url));

describe('runner reports', () => {
  it('parses a ready line and ignores other output', () => {
    const line = `${READY_LINE_PREFIX}{"type":"hivelab-ready","runtimeUpAt":1,"codeLoadedAt":2,"initDoneAt":3,"listeningAt":4,"port":80,"restoredFromSnapshot":false}`;
    expect(parseReportLine(line)?.type).toBe('hivelab-ready');
    expect(parseReportLine('listening on 8080')).toBeUndefined();
    expect(parseReportLine(`${READY_LINE_PREFIX}{not json`)).toBeUndefined();
    expect(asRunnerReport({ type: 'something-else' })).toBeUndefined();
    expect(asRunnerReport(null)).toBeUndefined();
  });
});

describe('buildInvocationContext', () => {
  it('picks W3C and B3 headers and the instance facts from env', () => {
    const headers: Record<string, string> = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'x-b3-traceid': '0af7651916cd43dd8448eb211c80319c',
      'x-b3-sampled': '1',
      'content-type': 'text/plain',
    };
    const ctx = buildInvocationContext((name) => headers[name], {
      HIVELAB_FUNCTION_NAME: 'helloworld-0',
      HIVELAB_INSTANCE_ID: 'helloworld-0-abc',
      HIVELAB_ZIPKIN_URL: 'http://127.0.0.1:9411/api/v2/spans',
    });
    expect(ctx).toEqual({
      functionName: 'helloworld-0',
      instanceId: 'helloworld-0-abc',
      traceHeaders: {
        traceparent: headers.traceparent,
        'x-b3-traceid': headers['x-b3-traceid'],
        'x-b3-sampled': '1',
      },
      zipkinUrl: 'http://127.0.0.1:9411/api/v2/spans',
    });
    expect(buildInvocationContext(() => undefined, { HIVELAB_ZIPKIN_URL: '' }).zipkinUrl).toBeUndefined();
  });
});

describe('runner without an IPC channel', () => {
  it('prints a HIVELAB_READY line with ordered timestamps and serves on $PORT', async () => {
    const child = spawn(process.execPath, [runtimeRunnerPath(), testFunction], {
      env: { ...process.env, PORT: '0', HIVELAB_FUNCTION_NAME: 'plain' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const report = await new Promise<RunnerReadyReport>((resolve, reject) => {
        let buffered = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          buffered += chunk;
          for (const line of buffered.split('\n')) {
            const parsed = parseReportLine(line);
            if (parsed?.type === 'hivelab-ready') resolve(parsed);
          }
        });
        child.once('exit', (code) => reject(new Error(`runner exited with ${code}`)));
      });
      expect(report.runtimeUpAt).toBeLessThanOrEqual(report.codeLoadedAt);
      expect(report.codeLoadedAt).toBeLessThanOrEqual(report.initDoneAt);
      expect(report.initDoneAt).toBeLessThanOrEqual(report.listeningAt);
      expect(report.restoredFromSnapshot).toBe(false);
      expect(report.port).toBeGreaterThan(0);
      const response = await fetch(`http://127.0.0.1:${report.port}/?name=runner`);
      expect(await response.text()).toBe('hello runner');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits non-zero with a clear message when the module is not a function module', async () => {
    const notAFunction = path.join(path.dirname(testFunction), 'not-a-function.mjs');
    const child = spawn(process.execPath, [runtimeRunnerPath(), notAFunction], {
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('no HTTP handler (fetch or node) nor grpc services');
  });
});
