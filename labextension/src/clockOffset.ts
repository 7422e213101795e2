/**
 * Estimates `server clock - browser clock` from the answers' `server_time`.
 *
 * One answer's `server_time` is only good to about half a second (upstream
 * `Date` headers have a one-second resolution) plus the request's latency, so
 * the estimate is the mean of recent samples, each taken at the middle of its
 * request. A sample far from the others (the browser's or the server's clock
 * was changed) starts the estimate afresh.
 */
export class ClockOffset {
  constructor(window = 8, jumpMs = 2000) {
    this.#window = window;
    this.#jumpMs = jumpMs;
  }

  /** The current estimate in ms (0 before any sample). */
  get value(): number {
    return this.#value;
  }

  /** Add a sample: `serverTime` received for a request sent at `sentAt` and answered at `receivedAt`. */
  add(serverTime: number, sentAt: number, receivedAt: number): number {
    if (typeof serverTime !== 'number' || !isFinite(serverTime)) {
      return this.#value;
    }
    const sample = serverTime - (sentAt + receivedAt) / 2;
    if (
      this.#samples.length > 0 &&
      Math.abs(sample - this.#value) > this.#jumpMs
    ) {
      this.#samples = [];
    }
    this.#samples.push(sample);
    if (this.#samples.length > this.#window) {
      this.#samples.shift();
    }
    this.#value =
      this.#samples.reduce((a, b) => a + b, 0) / this.#samples.length;
    return this.#value;
  }

  readonly #window: number;
  readonly #jumpMs: number;
  #samples: number[] = [];
  #value = 0;
}
