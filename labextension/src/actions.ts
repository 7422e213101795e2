import { Notification } from '@jupyterlab/apputils';

import { formatLocalTime } from './format';
import { DevEnvError } from './handler';
import { ITrans } from './i18n';
import { ICountdownModel } from './tokens';
import { IAutoStopUpdate, IState } from './types';

/**
 * The user's actions on auto-stop, shared by the popover and the reminders.
 * They call the REST API directly (never the kernel), so they work while a
 * kernel is busy. Each answer is shown as it is: the deadline is the API's.
 */
export class AutoStopActions {
  constructor(
    readonly model: ICountdownModel,
    readonly trans: ITrans
  ) {}

  turnOff(): Promise<IState | null> {
    return this.#run({ enable: false }, this.trans.__('Auto-stop turned off.'));
  }

  turnOn(duration: number): Promise<IState | null> {
    return this.#run({ enable: true, duration }, this.trans.__('Auto-stop turned on.'));
  }

  setPrompt(prompt: boolean): Promise<IState | null> {
    return this.#run(
      { prompt },
      prompt ? this.trans.__('Reminders turned on.') : this.trans.__('Reminders turned off.')
    );
  }

  async extend(seconds: number): Promise<IState | null> {
    try {
      const state = await this.model.extend(seconds);
      const stop = state.auto_stop.stop_timestamp;
      if (stop !== null) {
        Notification.success(
          this.trans.__('Extended: the instance now stops at %1.', formatLocalTime(stop, this.trans.languageCode)),
          { autoClose: 5000 }
        );
      }
      return state;
    } catch (reason) {
      this.#report(reason);
      return null;
    }
  }

  async #run(update: IAutoStopUpdate, done: string): Promise<IState | null> {
    try {
      const state = await this.model.updateAutoStop(update);
      Notification.success(done, { autoClose: 4000 });
      return state;
    } catch (reason) {
      this.#report(reason);
      return null;
    }
  }

  #report(reason: unknown): void {
    const err = reason as DevEnvError;
    Notification.error(
      this.trans.__('Could not change auto-stop: %1 (%2).', err?.message ?? String(reason), err?.code ?? '?') +
        ' ' +
        this.trans.__('Try again later; if it persists, check the server log.'),
      { autoClose: false }
    );
  }
}
