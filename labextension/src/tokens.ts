import type { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';

import { DevEnvError } from './errors';
import {
  IAutoStopUpdate,
  IConfig,
  IHoldList,
  IInstanceList,
  IState
} from './types';

/**
 * What the countdown shows, derived from the last answer and the local clock.
 *
 * - `loading`: nothing known yet;
 * - `server-missing`: Jupyter answers for the API, not the server extension:
 *   it is installed but not loaded (Jupyter not restarted);
 * - `choose`: only the instance is not set: the user can choose it;
 * - `unconfigured`: other settings are missing (DEVENV.NOT_CONFIGURED);
 * - `error`: the last request failed with an API error and there is no state to keep
 *   (or the instance is gone); otherwise the last state's phase stays, unconfirmed;
 * - `unreachable`: the Jupyter server did not answer, twice (it is gone);
 * - `stopped`: the instance is not running (`state.phase` says how: starting, frozen...);
 * - `idle`: it stops when idle, at no set time;
 * - `off`: auto-stop is turned off;
 * - `unknown`: auto-stop is on but the API gives no deadline;
 * - `due`: the deadline has passed, the stop is under way;
 * - `counting`: a deadline ahead.
 */
export type CountdownPhase =
  | 'loading'
  | 'server-missing'
  | 'choose'
  | 'unconfigured'
  | 'error'
  | 'unreachable'
  | 'stopped'
  | 'off'
  | 'idle'
  | 'unknown'
  | 'due'
  | 'counting';

/** The phases of a running instance: its auto-stop can be changed. */
export const LIVE_PHASES: CountdownPhase[] = [
  'counting',
  'due',
  'off',
  'idle',
  'unknown'
];

/** Effective settings: user settings where set, else the server's config. */
export interface IEffectiveSettings {
  /** Seconds before the stop, descending. */
  reminderThresholds: number[];
  /** Seconds between reads of the instance. */
  pollInterval: number;
  /** Seconds before the stop at which dirty documents are saved; 0 = never. */
  saveBeforeStop: number;
  /** Reminders also as browser notifications while the page is hidden. */
  notify: boolean;
  /** The time left in the tab title in the last 15 minutes. */
  title: boolean;
}

/**
 * One countdown per page: every view renders from it, so they always agree.
 */
export interface ICountdownModel {
  /** Last good `State`, or null. */
  readonly state: IState | null;
  /** The server's `GET config`, or null before it is read. */
  readonly config: IConfig | null;
  /** Error of the last request, or null when it succeeded. */
  readonly error: DevEnvError | null;
  /** Settings in force. */
  readonly settings: IEffectiveSettings;
  /** What to show now. */
  readonly phase: CountdownPhase;
  /** Whole seconds to the stop on the upstream clock, or null (no countdown). */
  readonly remaining: number | null;
  /** Seconds since the state was last confirmed, while the reads after it fail; else null. */
  readonly unconfirmedFor: number | null;
  /** The length in seconds of the run that ends at the current stop, when it is known. */
  readonly runTotal: number | null;
  /** `server_time - Date.now()` at the last answer, in ms. */
  readonly clockOffset: number;
  /** The last `GET holds` (read with the instance while the page is visible or a hold exists), or null. */
  readonly holds: IHoldList | null;
  /** Emitted when an answer (or an error) arrives or settings change. */
  readonly changed: ISignal<ICountdownModel, void>;
  /** Emitted once a second while the page is open. */
  readonly ticked: ISignal<ICountdownModel, void>;
  /** Read the instance now. */
  refresh(): Promise<void>;
  /** PUT `spec.auto_stop`; the answer becomes the state. */
  updateAutoStop(update: IAutoStopUpdate): Promise<IState>;
  /** POST `extend` (`allowEarlier`: even if the lease then ends sooner); the answer becomes the state. */
  extend(seconds: number, allowEarlier?: boolean): Promise<IState>;
  /** PUT `{"description": ...}`; the answer becomes the state. */
  updateDescription(description: string): Promise<IState>;
  /** GET `instances`: the project's instances to choose from. */
  instances(): Promise<IInstanceList>;
  /** PUT `config` `{"instance_id": id}`: this server's instance from now on, in every open page. */
  chooseInstance(id: string): Promise<IConfig>;
  /** DELETE a hold (one already ended counts as released), then read again. */
  releaseHold(id: string): Promise<void>;
  /** Now on the upstream clock, in ms. */
  serverNow(): number;
}

/**
 * The token: Lumino's plugin registry knows services by the token object's
 * identity and shows its `name`, so a plain object serves (and spares the
 * bundle a shared module).
 */
export const ICountdownModel = {
  name: 'jupyter-devenv:ICountdownModel',
  description:
    'One auto-stop countdown per page, read from the devenv REST API.'
} as Token<ICountdownModel>;
