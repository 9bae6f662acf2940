/** What an experiment tells its caller while it runs (the CLI prints it; tests may ignore it). */
export interface ExperimentProgress {
  note(line: string): void;
  invoking(done: number, total: number): void;
  invokeEnded(): void;
}

export const SILENT_PROGRESS: ExperimentProgress = { note() {}, invoking() {}, invokeEnded() {} };
