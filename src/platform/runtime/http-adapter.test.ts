import { describe, expect, it } from 'vitest';
import { bufferedBody, requestUrl } from './http-adapter.js';

describe('requestUrl', () => {
  it.each([
    ['127.0.0.1:8080', '/?name=a', 'http://127.0.0.1:8080/?name=a'],
    [undefined, '/x', 'http://127.0.0.1/x'],
    ['h:1', undefined, 'http://h:1/'],
    // Not origin-form: through the URL parser, as before the fast path.
    ['h:1', '//evil/x', 'http://evil/x'],
    ['h:1', 'http://other:2/y', 'http://other:2/y'],
  ])('host %s, target %s → %s', (host, target, expected) => {
    expect(requestUrl(host, target)).toBe(expected);
  });
});

describe('bufferedBody', () => {
  it('returns the bytes a Response was built from, without using its body', async () => {
    const response = new Response('Hello, é!');
    expect(Buffer.from(bufferedBody(response)!).toString()).toBe('Hello, é!');
    expect(response.bodyUsed).toBe(false);
    expect(await response.text()).toBe('Hello, é!');
    const bytes = new Uint8Array([1, 2, 3]);
    expect(bufferedBody(new Response(bytes))).toEqual(bytes);
  });

  it('leaves streamed and already-read bodies to the public API', async () => {
    const streamed = new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array([1]));
          controller.close();
        },
      }),
    );
    expect(bufferedBody(streamed)).toBeUndefined();
    const used = new Response('x');
    await used.text();
    expect(bufferedBody(used)).toBeUndefined();
  });
});
