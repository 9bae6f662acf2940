/** What the thread pacer and its worker thread share. */

/** Sent once, when pacing starts. */
export interface PacerSchedule {
  /** Float64 due times, in the owner's `performance.now()` ms, ascending. */
  due: SharedArrayBuffer;
}

export interface PacerThreadData {
  /** Int32 slots, see CONTROL. */
  control: SharedArrayBuffer;
  /** The owner's `performance.timeOrigin`, to convert between the two threads' clocks. */
  ownerTimeOrigin: number;
  /** Wake the owner this many ms before each due time. */
  leadMs: number;
}

export const CONTROL = {
  /** A STATE value; the thread sleeps on this slot. */
  state: 0,
  /** Index of the first due time the owner has not handled yet (written by the owner). */
  next: 1,
  int32Slots: 2,
} as const;

export const STATE = {
  /** Started, waiting for its schedule (a `PacerSchedule` message). */
  idle: 0,
  pacing: 1,
  stopped: 2,
} as const;
