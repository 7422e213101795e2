/**
 * Shapes of the server extension's REST answers (the contract: jupyter_devenv/server/openapi.yaml).
 */

/** `auto_stop` block of a `State`, normalized over both backends. */
export interface IAutoStop {
  enable: boolean;
  /** `TIMING` (stops at a time), `IDLE` (stops when idle), or null. */
  type?: 'TIMING' | 'IDLE' | null;
  /** What to show: a countdown, a stop when idle, off, an unknown stop time, or not running (see `IState.phase`). */
  kind: 'countdown' | 'idle' | 'off' | 'unknown' | 'not_running';
  /** Seconds, or null when unknown. */
  duration: number | null;
  prompt: boolean;
  /** Deadline in ms since the epoch (upstream clock), or null. */
  stop_timestamp: number | null;
  /** Seconds left at `server_time`, or null. */
  remain_time: number | null;
  /** Extend (renew the deadline from now) is possible: the notebooks lease of a running instance. */
  can_extend: boolean;
  /**
   * Auto-stop has an on/off (demanager). False on the notebooks lease, which is
   * moved by extend; a PUT with `enable` answers 409 `DEVENV.UNSUPPORTED` there.
   */
  can_toggle: boolean;
}

/** The redacted upstream instance object; only the fields the UI reads are typed. */
export interface IInstance {
  id?: string;
  name?: string;
  status?: string;
  flavor?: string;
  description?: string;
  [key: string]: unknown;
}

/** `GET/PUT instances/current`, `POST instances/current/extend`. */
export interface IState {
  instance: IInstance;
  auto_stop: IAutoStop;
  backend: 'demanager' | 'notebooks' | string;
  /** The status in a person's terms: running, starting, stopping, saving, stopped, failed, frozen, deleted, unknown. */
  phase: string;
  /** A free instance: stops after 1 h, deleted if not started again within 72 h. */
  free?: boolean;
  /** Upstream clock in ms when the answer was made. */
  server_time: number;
  /** The answer came from jupyter-devenv's emulator (its `X-Emulator` header). */
  emulated?: boolean;
}

/** `GET config`. */
export interface IConfig {
  backend: string;
  instance_id: string | null;
  /** Seconds. */
  poll_interval: number;
  cache_ttl?: number;
  /** Seconds before the stop, e.g. [900, 300, 60]. */
  reminder_thresholds: number[];
  /** Seconds before the stop at which dirty documents are saved. */
  save_before_stop: number;
  configured: boolean;
  missing: string[];
  /** Where the instance id comes from: "config" (`c.DevEnv.instance_id`, fixed), "chosen" (`PUT config`), or null. */
  instance_source?: string | null;
}

/** One instance of the project, as `GET instances` lists it. */
export interface IInstanceSummary {
  id: string;
  name: string | null;
  status: string | null;
  flavor: string | null;
  backend: string;
  /** Deadline in ms since the epoch (upstream clock), or null. */
  stop_timestamp: number | null;
  /** Seconds left at `server_time`, or null. */
  remain_time: number | null;
}

/** `GET instances`. */
export interface IInstanceList {
  /** RUNNING first, then by name. */
  instances: IInstanceSummary[];
  server_time: number;
  /** Plain words when one API generation could not be listed. */
  partial?: string | null;
}

/** Body of `PUT instances/current`, `spec.auto_stop` part. */
export interface IAutoStopUpdate {
  enable?: boolean;
  duration?: number;
  prompt?: boolean;
}

/** A hold: the server keeps the instance running until `ends_at` (ms, upstream clock) or its release. */
export interface IHold {
  id: string;
  instance_id: string;
  reason: string;
  created_at: number;
  ends_at: number;
  kernel_id: string | null;
  notebook: string | null;
  holder: 'kernel' | 'user' | 'busy';
  /** Why the server cannot keep the instance running as held, in words; null when it can. */
  note: string | null;
}

/** `GET holds`. */
export interface IHoldList {
  holds: IHold[];
  server_time: number;
  /** Older API: what the end of the last hold puts back (`note` says it in words). */
  restore: {
    instance_id: string;
    enable: boolean;
    duration: number | null;
    note: string;
  } | null;
}

/** Error body of the REST API. */
export interface IErrorBody {
  error_code: string;
  error_msg: string;
  field?: string;
}
