import { ServerConnection } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { ClockOffset } from './clockOffset';
import { DevEnvError, requestAPI } from './handler';
import { effectiveSettings, ISettingOverrides } from './settings';
import { CountdownPhase, ICountdownModel, IEffectiveSettings } from './tokens';
import { IAutoStopUpdate, IConfig, IState } from './types';

/** Shortest pause between reads near the deadline, in seconds. */
const NEAR_INTERVAL = 5;

/**
 * The page's countdown: reads the instance through the REST API, ticks locally.
 *
 * The deadline is the API's `stop_timestamp`; "now" is the browser's clock
 * corrected by `server_time - Date.now()` measured when answers arrive (see
 * `ClockOffset`), so
 * a browser whose clock is off still counts down to the right moment. Nothing
 * is requested per tick; reads happen at the poll interval (shorter near the
 * deadline), never while the page is hidden, and at once after an action.
 */
export class CountdownModel implements ICountdownModel, IDisposable {
  constructor(options: CountdownModel.IOptions = {}) {
    this._serverSettings = options.serverSettings ?? ServerConnection.makeSettings();
    this._overrides = options.overrides ?? {};
    this._settings = effectiveSettings(this._overrides, null);
    this._poll = new Poll({
      auto: false,
      factory: () => this._read(),
      frequency: this._frequency(),
      name: 'jupyter-devenv:countdown',
      standby: 'when-hidden'
    });
    this._onVisibility = () => {
      if (!document.hidden) {
        void this.refresh().catch(() => undefined);
        this._tick();
      }
    };
  }

  get state(): IState | null {
    return this._state;
  }
  get config(): IConfig | null {
    return this._config;
  }
  get error(): DevEnvError | null {
    return this._error;
  }
  get settings(): IEffectiveSettings {
    return this._settings;
  }
  get clockOffset(): number {
    return this._offset.value;
  }
  get changed(): ISignal<ICountdownModel, void> {
    return this._changed;
  }
  get ticked(): ISignal<ICountdownModel, void> {
    return this._ticked;
  }
  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  serverNow(): number {
    return Date.now() + this._offset.value;
  }

  get remaining(): number | null {
    const stop = this._state?.auto_stop.stop_timestamp;
    if (stop === null || stop === undefined) {
      return null;
    }
    return Math.max(0, Math.floor((stop - this.serverNow()) / 1000));
  }

  get phase(): CountdownPhase {
    const err = this._error;
    if (err) {
      if (err.code === 'DEVENV.NOT_CONFIGURED') {
        return 'unconfigured';
      }
      return err.unreachable ? 'unreachable' : 'error';
    }
    if (this._config && this._config.configured === false) {
      return 'unconfigured';
    }
    const state = this._state;
    if (!state) {
      return 'loading';
    }
    const status = state.instance?.status;
    if (status && status !== 'RUNNING') {
      return 'stopped';
    }
    if (!state.auto_stop.enable) {
      return 'off';
    }
    const remaining = this.remaining;
    if (remaining === null) {
      return 'unknown';
    }
    return remaining <= 0 ? 'due' : 'counting';
  }

  /** Start reading and ticking. */
  start(): void {
    if (this._started || this.isDisposed) {
      return;
    }
    this._started = true;
    document.addEventListener('visibilitychange', this._onVisibility);
    void this._poll.start();
    this._tick();
  }

  /** Change the user's overrides (from the settings registry). */
  setOverrides(overrides: ISettingOverrides): void {
    this._overrides = overrides;
    this._applySettings();
  }

  async refresh(): Promise<void> {
    await this._read();
  }

  async updateAutoStop(update: IAutoStopUpdate): Promise<IState> {
    return this._act('instances/current', {
      method: 'PUT',
      body: JSON.stringify({ spec: { auto_stop: update } })
    });
  }

  async extend(seconds: number): Promise<IState> {
    return this._act('instances/current/extend', {
      method: 'POST',
      body: JSON.stringify({ seconds })
    });
  }

  async updateDescription(description: string): Promise<IState> {
    return this._act('instances/current', {
      method: 'PUT',
      body: JSON.stringify({ description })
    });
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    document.removeEventListener('visibilitychange', this._onVisibility);
    window.clearTimeout(this._timer);
    this._poll.dispose();
    Signal.clearData(this);
  }

  /** An action's answer is the truth; then read again at once. */
  private async _act(endPoint: string, init: RequestInit): Promise<IState> {
    const seq = ++this._seq;
    const sentAt = Date.now();
    const state = await requestAPI<IState>(endPoint, init, this._serverSettings);
    this._accept(seq, state, sentAt, Date.now());
    void this.refresh().catch(() => undefined);
    return state;
  }

  /** One read: config first (until known), then the instance. */
  private async _read(): Promise<void> {
    if (!this._config) {
      try {
        this._config = await requestAPI<IConfig>('config', {}, this._serverSettings);
        this._applySettings(false);
      } catch (reason) {
        this._fail(reason);
        throw reason;
      }
    }
    const seq = ++this._seq;
    const sentAt = Date.now();
    try {
      const state = await requestAPI<IState>('instances/current', {}, this._serverSettings);
      this._accept(seq, state, sentAt, Date.now());
    } catch (reason) {
      if (seq > this._applied) {
        this._applied = seq;
        this._fail(reason);
      }
      throw reason;
    } finally {
      this._poll.frequency = this._frequency();
    }
  }

  private _accept(seq: number, state: IState, sentAt: number, receivedAt: number): void {
    if (seq <= this._applied) {
      return; // An older answer arriving late.
    }
    this._applied = seq;
    this._state = state;
    this._offset.add(state.server_time, sentAt, receivedAt);
    this._error = null;
    this._changed.emit();
    this._tick();
  }

  private _fail(reason: unknown): void {
    this._error =
      reason instanceof DevEnvError
        ? reason
        : new DevEnvError(0, 'NETWORK', String((reason as Error)?.message ?? reason));
    this._changed.emit();
  }

  private _applySettings(emit = true): void {
    this._settings = effectiveSettings(this._overrides, this._config);
    this._poll.frequency = this._frequency();
    if (emit) {
      this._changed.emit();
    }
  }

  /** The poll interval, shorter as the deadline nears. */
  private _frequency(): IPoll.Frequency {
    const base = this._settings.pollInterval;
    let interval = base;
    const remaining = this._state && this._state.auto_stop.enable ? this.remaining : null;
    if (remaining !== null) {
      interval =
        remaining <= 0 ? NEAR_INTERVAL : Math.min(base, Math.max(NEAR_INTERVAL, remaining / 4), remaining + 1);
    }
    const ms = Math.max(1000, Math.round(interval * 1000));
    return { interval: ms, backoff: true, max: Math.max(ms, Math.round(base * 1000) * 4) };
  }

  /** Emit `ticked` now and schedule the next tick when the shown second changes. */
  private _tick(): void {
    if (!this._started || this.isDisposed) {
      return;
    }
    window.clearTimeout(this._timer);
    this._ticked.emit();
    const stop = this._state?.auto_stop.stop_timestamp;
    let delay = 1000;
    if (typeof stop === 'number') {
      const left = stop - this.serverNow();
      delay = left > 0 ? (left % 1000) + 5 : 1000;
    }
    this._timer = window.setTimeout(() => this._tick(), Math.max(50, delay));
  }

  private _serverSettings: ServerConnection.ISettings;
  private _overrides: ISettingOverrides;
  private _settings: IEffectiveSettings;
  private _poll: Poll;
  private _state: IState | null = null;
  private _config: IConfig | null = null;
  private _error: DevEnvError | null = null;
  private _offset = new ClockOffset();
  private _seq = 0;
  private _applied = 0;
  private _started = false;
  private _timer = 0;
  private _onVisibility: () => void;
  private _changed = new Signal<ICountdownModel, void>(this);
  private _ticked = new Signal<ICountdownModel, void>(this);
}

export namespace CountdownModel {
  export interface IOptions {
    serverSettings?: ServerConnection.ISettings;
    overrides?: ISettingOverrides;
  }
}
