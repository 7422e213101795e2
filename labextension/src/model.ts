import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ClockOffset } from './clockOffset';
import { ConfigChannel } from './configChannel';
import { asDevEnvError, DevEnvError, ErrorCode } from './errors';
import { requestAPI } from './handler';
import { phaseOf } from './phase';
import { effectiveSettings, ISettingOverrides } from './settings';
import { CountdownPhase, ICountdownModel, IEffectiveSettings } from './tokens';
import {
  IAutoStopUpdate,
  IConfig,
  IHoldList,
  IInstanceList,
  IState
} from './types';

/** Shortest pause between reads near the deadline, in seconds. */
const NEAR_INTERVAL = 5;

/** Pause between reads of `config` while no instance is set, in ms: a choice made elsewhere shows soon. */
const UNCONFIGURED_INTERVAL = 5000;

/** Pause between reads while the server extension is not loaded, in ms: it takes a restart to change. */
const SERVER_MISSING_INTERVAL = 60_000;

/** Least time between two reads of the holds, in ms: a few a minute at most. */
const HOLDS_INTERVAL = 15_000;

/** First pause after a failed read, in seconds; it doubles up to the poll interval. */
const RETRY_INTERVAL = 2;

/**
 * The page's countdown: reads the instance through the REST API, ticks locally.
 *
 * `config` is read first, then again whenever it may have changed: while no
 * instance is set (every few seconds), after an error, when another tab of this
 * browser chose an instance (`ConfigChannel`), or when the instance read is not
 * the one the config names (chosen from another browser).
 *
 * The deadline is the API's `stop_timestamp`; "now" is the browser's clock
 * corrected by `server_time - Date.now()` measured when answers arrive (see
 * `ClockOffset`), so
 * a browser whose clock is off still counts down to the right moment. Nothing
 * is requested per tick; reads happen at the poll interval (shorter near the
 * deadline), never while the page is hidden (unless a hold exists), and at once
 * after an action. `GET holds` goes with them, at most every 15 s.
 *
 * A failed read keeps the last state: the page counts on to the last stop time
 * the API gave, marked as not confirmed (`unconfirmedFor`), and reads again
 * after 2 s, 4 s, 8 s... up to the poll interval, until one succeeds.
 */
export class CountdownModel implements ICountdownModel, IDisposable {
  constructor(options: CountdownModel.IOptions = {}) {
    this.#serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
    this.#overrides = options.overrides ?? {};
    this.#settings = effectiveSettings(this.#overrides, null);
    this.#channel = new ConfigChannel(this.#serverSettings.baseUrl, () => {
      this.#configStale = true;
      void this.refresh().catch(() => undefined);
    });
    this.#onVisibility = () => {
      if (!document.hidden) {
        void this.refresh().catch(() => undefined);
        this.#tick();
      }
    };
  }

  get state(): IState | null {
    return this.#state;
  }
  get config(): IConfig | null {
    return this.#config;
  }
  get error(): DevEnvError | null {
    return this.#error;
  }
  get settings(): IEffectiveSettings {
    return this.#settings;
  }
  get clockOffset(): number {
    return this.#offset.value;
  }
  get holds(): IHoldList | null {
    return this.#holds;
  }
  get changed(): ISignal<ICountdownModel, void> {
    return this.#changed;
  }
  get ticked(): ISignal<ICountdownModel, void> {
    return this.#ticked;
  }
  get isDisposed(): boolean {
    return this.#disposed;
  }

  serverNow(): number {
    return Date.now() + this.#offset.value;
  }

  get remaining(): number | null {
    const auto = this.#state?.auto_stop;
    const stop = auto?.stop_timestamp;
    if (auto?.kind !== 'countdown' || typeof stop !== 'number') {
      return null;
    }
    return Math.max(0, Math.floor((stop - this.serverNow()) / 1000));
  }

  get unconfirmedFor(): number | null {
    return this.#error && this.#state
      ? Math.max(0, Math.floor((Date.now() - this.#confirmedAt) / 1000))
      : null;
  }

  get runTotal(): number | null {
    return this.#runs.get(this.#state?.auto_stop.stop_timestamp ?? NaN) ?? null;
  }

  get phase(): CountdownPhase {
    return phaseOf(
      this.#error,
      this.#config,
      this.#state,
      this.remaining,
      this.#failures
    );
  }

  /** Start reading and ticking. */
  start(): void {
    if (this.#started || this.isDisposed) {
      return;
    }
    this.#started = true;
    document.addEventListener('visibilitychange', this.#onVisibility);
    void this.refresh().catch(() => undefined);
    this.#tick();
  }

  /** Change the user's overrides (from the settings registry). */
  setOverrides(overrides: ISettingOverrides): void {
    this.#overrides = overrides;
    this.#applySettings();
  }

  async refresh(): Promise<void> {
    await this.#read();
  }

  async updateAutoStop(update: IAutoStopUpdate): Promise<IState> {
    return this.#act('instances/current', {
      method: 'PUT',
      body: JSON.stringify({ spec: { auto_stop: update } })
    });
  }

  async extend(seconds: number, allowEarlier = false): Promise<IState> {
    return this.#act('instances/current/extend', {
      method: 'POST',
      body: JSON.stringify({ seconds, allow_earlier: allowEarlier })
    });
  }

  async updateDescription(description: string): Promise<IState> {
    return this.#act('instances/current', {
      method: 'PUT',
      body: JSON.stringify({ description })
    });
  }

  instances(): Promise<IInstanceList> {
    return requestAPI<IInstanceList>('instances', {}, this.#serverSettings);
  }

  async chooseInstance(id: string): Promise<IConfig> {
    const config = await requestAPI<IConfig>(
      'config',
      { method: 'PUT', body: JSON.stringify({ instance_id: id }) },
      this.#serverSettings
    );
    // Reads begun before this answer may show the old instance: drop them.
    const seq = (this.#applied = ++this.#seq);
    this.#setConfig(seq, config);
    this.#channel.announce();
    void this.refresh().catch(() => undefined);
    return config;
  }

  async releaseHold(id: string): Promise<void> {
    try {
      await requestAPI(
        `holds/${encodeURIComponent(id)}`,
        { method: 'DELETE' },
        this.#serverSettings
      );
    } catch (reason) {
      if ((reason as DevEnvError).code !== ErrorCode.holdNotFound) {
        throw reason;
      }
    }
    this.#holdsAt = 0;
    await this.refresh();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.#disposed = true;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.clearTimeout(this.#timer);
    window.clearTimeout(this.#pollTimer);
    this.#channel.dispose();
    Signal.clearData(this);
  }

  /** An action's answer is the truth; then read again at once. */
  async #act(endPoint: string, init: RequestInit): Promise<IState> {
    const seq = ++this.#seq;
    const sentAt = Date.now();
    const state = await requestAPI<IState>(
      endPoint,
      init,
      this.#serverSettings
    );
    this.#accept(seq, state, sentAt, Date.now());
    void this.refresh().catch(() => undefined);
    return state;
  }

  /** One read: config when it may have changed, then the instance if one is set. */
  async #read(): Promise<void> {
    const seq = ++this.#seq;
    const sentAt = Date.now();
    try {
      if (this.#configStale || !this.#config?.configured) {
        this.#setConfig(
          seq,
          await requestAPI<IConfig>('config', {}, this.#serverSettings)
        );
        if (!this.#config?.configured) {
          return;
        }
      }
      const [state] = await Promise.all([
        requestAPI<IState>('instances/current', {}, this.#serverSettings),
        this.#readHolds()
      ]);
      this.#accept(seq, state, sentAt, Date.now());
    } catch (reason) {
      if (seq > this.#applied) {
        this.#applied = seq;
        this.#fail(reason);
      }
      throw reason;
    } finally {
      this.#schedule();
    }
  }

  /** The holds, with the instance: while the page is visible or a hold exists, at most every `HOLDS_INTERVAL`. */
  async #readHolds(): Promise<void> {
    if (
      (document.hidden && !this.#holds?.holds.length) ||
      Date.now() - this.#holdsAt < HOLDS_INTERVAL
    ) {
      return;
    }
    this.#holdsAt = Date.now();
    try {
      this.#holds = await requestAPI<IHoldList>(
        'holds',
        {},
        this.#serverSettings
      );
    } catch {
      // An older server, or a failure: the holds stay as last read.
    }
  }

  #accept(
    seq: number,
    state: IState,
    sentAt: number,
    receivedAt: number
  ): void {
    if (seq <= this.#applied) {
      return; // An older answer arriving late.
    }
    this.#applied = seq;
    const auto = state.auto_stop;
    const stop = auto.stop_timestamp;
    // The run's length: the lease's duration (current API, counted from its start); on the
    // older API the duration may be the next start's, so only one this page saw begin.
    if (
      stop !== null &&
      auto.duration &&
      (state.backend === 'notebooks' ||
        (this.#state &&
          !this.#runs.has(stop) &&
          this.#state.auto_stop.stop_timestamp !== stop))
    ) {
      this.#runs.set(stop, auto.duration);
    }
    this.#state = state;
    this.#configStale ||= state.instance.id !== this.#config?.instance_id;
    this.#offset.add(state.server_time, sentAt, receivedAt);
    this.#error = null;
    this.#failures = 0;
    this.#confirmedAt = receivedAt;
    this.#changed.emit();
    this.#tick();
  }

  /** A config answer: newer than the one applied, it replaces it (and the state of another instance). */
  #setConfig(seq: number, config: IConfig): void {
    if (seq < this.#configSeq) {
      return;
    }
    this.#configSeq = seq;
    this.#configStale = false;
    this.#config = config;
    if (this.#state && this.#state.instance.id !== config.instance_id) {
      this.#state = null;
    }
    if (!this.#state) {
      this.#error = null; // With a state, an error stays until the instance is read again.
    }
    this.#applySettings();
  }

  #fail(reason: unknown): void {
    this.#configStale = true;
    this.#failures++;
    this.#error = asDevEnvError(reason);
    this.#changed.emit();
  }

  #applySettings(): void {
    this.#settings = effectiveSettings(this.#overrides, this.#config);
    this.#changed.emit();
  }

  /**
   * Read again after the poll interval: sooner near the deadline and after a failure; never while hidden,
   * unless a hold exists (the server moves the deadline for it, and hidden tabs remind too).
   */
  #schedule(): void {
    window.clearTimeout(this.#pollTimer);
    if (!this.#started || this.isDisposed) {
      return;
    }
    const err = this.#error;
    const base = this.#settings.pollInterval;
    const remaining = this.remaining;
    let seconds = err
      ? Math.min(base, RETRY_INTERVAL * 2 ** (this.#failures - 1))
      : base;
    if (remaining !== null) {
      seconds = Math.min(
        seconds,
        remaining <= 0 ? NEAR_INTERVAL : Math.max(NEAR_INTERVAL, remaining / 4),
        remaining + 1
      );
    }
    const ms = err?.serverMissing
      ? SERVER_MISSING_INTERVAL
      : this.#config?.configured === false
        ? UNCONFIGURED_INTERVAL
        : Math.max(1000, seconds * 1000);
    this.#pollTimer = window.setTimeout(
      () =>
        document.hidden && !this.#holds?.holds.length
          ? this.#schedule()
          : void this.refresh().catch(() => undefined),
      ms
    );
  }

  /** Emit `ticked` now and schedule the next tick when the shown second changes. */
  #tick(): void {
    if (!this.#started || this.isDisposed) {
      return;
    }
    window.clearTimeout(this.#timer);
    this.#ticked.emit();
    const stop = this.#state?.auto_stop.stop_timestamp;
    let delay = 1000;
    if (typeof stop === 'number') {
      const left = stop - this.serverNow();
      delay = left > 0 ? (left % 1000) + 5 : 1000;
    }
    this.#timer = window.setTimeout(() => this.#tick(), Math.max(50, delay));
  }

  #serverSettings: ServerConnection.ISettings;
  #overrides: ISettingOverrides;
  #settings: IEffectiveSettings;
  #disposed = false;
  #pollTimer = 0;
  #failures = 0;
  #confirmedAt = 0;
  /** The length of the run ending at each stop time seen, when known. */
  #runs = new Map<number, number>();
  #state: IState | null = null;
  #holds: IHoldList | null = null;
  #holdsAt = 0;
  #config: IConfig | null = null;
  #configSeq = 0;
  #configStale = true;
  #channel: ConfigChannel;
  #error: DevEnvError | null = null;
  #offset = new ClockOffset();
  #seq = 0;
  #applied = 0;
  #started = false;
  #timer = 0;
  #onVisibility: () => void;
  #changed = new Signal<ICountdownModel, void>(this);
  #ticked = new Signal<ICountdownModel, void>(this);
}

export namespace CountdownModel {
  export interface IOptions {
    serverSettings?: ServerConnection.ISettings;
    overrides?: ISettingOverrides;
  }
}
