import type { CountdownPhase } from './tokens';
import type { IConfig, IState } from './types';

/** The part of a `DevEnvError` the phase depends on. */
export interface IPhaseError {
  code: string;
  readonly unreachable: boolean;
  readonly serverMissing: boolean;
}

/** What the countdown shows (see `CountdownPhase`), from the model's last answers. */
export function phaseOf(
  err: IPhaseError | null,
  config: IConfig | null,
  state: IState | null,
  remaining: number | null
): CountdownPhase {
  if (err?.serverMissing) {
    return 'server-missing';
  }
  if (err && err.code !== 'DEVENV.NOT_CONFIGURED') {
    return err.unreachable ? 'unreachable' : 'error';
  }
  if (err || config?.configured === false) {
    // Only the instance is missing: the user can choose it here.
    return config && !config.instance_id && config.missing.every(m => m === 'instance_id') ? 'choose' : 'unconfigured';
  }
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
  if (remaining === null) {
    return 'unknown';
  }
  return remaining <= 0 ? 'due' : 'counting';
}
