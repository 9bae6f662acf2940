/** What the thread pacer and its worker thread share. */

export interface PacerThreadData {
  /** Int32 slots, see CONTROL. */
  control: SharedArrayBuffer;
  /** One Float64: the due time in the owner's `performance.now()` ms; Infinity = none. */
  due: SharedArrayBuffer;
  /** The owner's `performance.timeOrigin`, to convert between the two threads' clocks. */
  ownerTimeOrigin: number;
}

export const CONTROL = {
  /** Bumped by the owner on every new due time; the thread waits on it. */
  generation: 0,
  int32Slots: 1,
} as const;

/** Generation value that tells the thread to exit. */
export const STOP = -1;
