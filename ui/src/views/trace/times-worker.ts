/** The worker that computes a trace's times (see times-job.ts): one request per worker. */
import { runTimesJob, transferables, type TimesRequest } from './times-job.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<TimesRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  void runTimesJob(event.data, (message) =>
    scope.postMessage(message, message.kind === 'analyzer-failed' ? [] : transferables(message.times)),
  );
};
