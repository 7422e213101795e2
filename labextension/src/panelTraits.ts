import { DevEnvError } from './errors';
import { ICountdownModel } from './tokens';

/** The widget traits of the kernel-side `AutoStopPanel` that the view keeps in sync. */
export interface IPanelTraits {
  instance_id?: string;
  name?: string;
  status?: string;
  flavor?: string;
  backend?: string;
  description?: string;
  enable?: boolean;
  prompt?: boolean;
  duration?: number | null;
  stop_timestamp?: number | null;
  remain_time?: number | null;
  can_extend?: boolean;
  error: string;
}

/**
 * The traits for the model's state (only `error` when nothing is known); the
 * error is the panel's last action's, else the model's.
 */
export function panelTraits(
  model: ICountdownModel,
  actionError: DevEnvError | null
): IPanelTraits {
  const err = actionError ?? model.error;
  const error = err ? `${err.code}: ${err.message}` : '';
  const state = model.state;
  if (!state) {
    return { error };
  }
  const {
    id = '',
    name = '',
    status = '',
    flavor = '',
    description = ''
  } = state.instance;
  const { enable, prompt, duration, stop_timestamp, remain_time, can_extend } =
    state.auto_stop;
  return {
    instance_id: id,
    name,
    status,
    flavor,
    backend: state.backend,
    description,
    enable,
    prompt,
    duration,
    stop_timestamp,
    remain_time: model.remaining ?? remain_time,
    can_extend,
    error
  };
}
