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
  constructor(
    private readonly _window = 8,
    private readonly _jumpMs = 2000
  ) {}

  /** The current estimate in ms (0 before any sample). */
  get value(): number {
    return this._value;
  }

  /** Add a sample: `serverTime` received for a request sent at `sentAt` and answered at `receivedAt`. */
  add(serverTime: number, sentAt: number, receivedAt: number): number {
    if (typeof serverTime !== 'number' || !isFinite(serverTime)) {
      return this._value;
    }
    const sample = serverTime - (sentAt + receivedAt) / 2;
    if (this._samples.length > 0 && Math.abs(sample - this._value) > this._jumpMs) {
      this._samples = [];
    }
    this._samples.push(sample);
    if (this._samples.length > this._window) {
      this._samples.shift();
    }
    this._value = this._samples.reduce((a, b) => a + b, 0) / this._samples.length;
    return this._value;
  }

  private _samples: number[] = [];
  private _value = 0;
}
