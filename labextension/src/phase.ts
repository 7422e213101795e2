import { ErrorCode } from './errors';
import type { CountdownPhase } from './tokens';
import type { IConfig, IState } from './types';

/** The part of a `DevEnvError` the phase depends on. */
export interface IPhaseError {
  code: string;
  readonly unreachable: boolean;
  readonly serverMissing: boolean;
}

/** Codes saying the instance is not there: its last state is no longer true. */
const GONE = /6309|NOT_FOUND/;

/**
 * What the countdown shows (see `CountdownPhase`), from the model's last answers.
 *
 * A failed read keeps the last state (the page counts on, unconfirmed) unless the
 * instance is gone, or the Jupyter server has not answered `failures` > 1 times.
 */
export function phaseOf(
  err: IPhaseError | null,
  config: IConfig | null,
  state: IState | null,
  remaining: number | null,
  failures = 1
): CountdownPhase {
  if (err?.serverMissing) {
    return 'server-missing';
  }
  if (err?.code === ErrorCode.notConfigured || config?.configured === false) {
    // Only the instance is missing: the user can choose it here.
    return config &&
      !config.instance_id &&
      config.missing.every(m => m === 'instance_id')
      ? 'choose'
      : 'unconfigured';
  }
  if (
    err &&
    (!state || GONE.test(err.code) || (err.unreachable && failures > 1))
  ) {
    return err.unreachable ? 'unreachable' : 'error';
  }
  if (!state) {
    return 'loading';
  }
  if (state.phase !== 'running') {
    return 'stopped';
  }
  const kind = state.auto_stop.kind;
  if (kind === 'off' || kind === 'idle') {
    return kind;
  }
  if (kind !== 'countdown' || remaining === null) {
    return 'unknown';
  }
  return remaining <= 0 ? 'due' : 'counting';
}
