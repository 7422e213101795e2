import { Notification } from '@jupyterlab/apputils';

import { formatLocalTime } from './format';
import { DevEnvError } from './handler';
import { ITrans } from './i18n';
import { nextStep } from './panelErrors';
import { ICountdownModel } from './tokens';
import { IState } from './types';

/** Where an action's outcome is told: notifications by default, a view's own lines for the panel. */
export interface IActionReport {
  done(message: string): void;
  failed(error: DevEnvError): void;
}

/**
 * The user's actions on the instance, shared by the popover, the panel and the
 * reminders. They call the REST API directly (never the kernel), so they work
 * while a kernel is busy. Each answer is shown as it is: the deadline is the API's.
 */
export class AutoStopActions {
  constructor(
    readonly model: ICountdownModel,
    readonly trans: ITrans,
    report?: IActionReport
  ) {
    this.#report = report ?? {
      done: message => Notification.success(message, { autoClose: 5000 }),
      failed: err =>
        Notification.error(
          `${trans.__('Could not change auto-stop: %1 (%2).', err.message, err.code)} ${nextStep(err, trans)}`,
          { autoClose: false }
        )
    };
  }

  turnOff(): Promise<IState | null> {
    return this.#run(m => m.updateAutoStop({ enable: false }), () => this.trans.__('Auto-stop turned off.'));
  }

  turnOn(duration: number): Promise<IState | null> {
    return this.#run(m => m.updateAutoStop({ enable: true, duration }), () => this.trans.__('Auto-stop turned on.'));
  }

  /** The demanager API: a duration set while the instance runs is for its next start. */
  setNextDuration(duration: number): Promise<IState | null> {
    return this.#run(
      m => m.updateAutoStop({ enable: true, duration }),
      () => this.trans.__('Saved: the new duration applies from the next start.')
    );
  }

  setPrompt(prompt: boolean): Promise<IState | null> {
    return this.#run(
      m => m.updateAutoStop({ prompt }),
      () => (prompt ? this.trans.__('Reminders turned on.') : this.trans.__('Reminders turned off.'))
    );
  }

  setDescription(description: string): Promise<IState | null> {
    return this.#run(m => m.updateDescription(description), () => this.trans.__('Description saved.'));
  }

  extend(seconds: number): Promise<IState | null> {
    return this.#run(
      m => m.extend(seconds),
      state => {
        const stop = state.auto_stop.stop_timestamp;
        return stop === null
          ? this.trans.__('Extended.')
          : this.trans.__('Extended: the instance now stops at %1.', formatLocalTime(stop, this.trans.languageCode));
      }
    );
  }

  async #run(call: (model: ICountdownModel) => Promise<IState>, done: (state: IState) => string): Promise<IState | null> {
    try {
      const state = await call(this.model);
      this.#report.done(done(state));
      return state;
    } catch (reason) {
      this.#report.failed(
        reason instanceof DevEnvError ? reason : new DevEnvError(0, 'NETWORK', String((reason as Error)?.message ?? reason))
      );
      return null;
    }
  }

  readonly #report: IActionReport;
}
