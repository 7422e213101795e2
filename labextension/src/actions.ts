import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';

import { formatLocalTime, toastText } from './format';
import { asDevEnvError, DevEnvError, explainError } from './errors';
import { ITrans, spanText } from './i18n';
import { ICountdownModel } from './tokens';
import { IState } from './types';

/** Where an action's outcome is told: notifications by default, a view's own lines for the panel. */
export interface IActionReport {
  done(message: string): void;
  failed(error: DevEnvError): void;
}

/**
 * What the controls and the reminders need of the actions: `AutoStopActions`
 * itself (the panel), or the same run as commands (`runCommands`).
 */
export type AutoStopRunner = Pick<
  AutoStopActions,
  | 'model'
  | 'trans'
  | 'extendTo'
  | 'turnOff'
  | 'turnOn'
  | 'setNextDuration'
  | 'extend'
  | 'setPrompt'
>;

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
      done: message =>
        Notification.success(toastText(message), { autoClose: 5000 }),
      failed: err =>
        Notification.error(
          toastText(
            `${trans.__('Could not change auto-stop.')} ${explainError(err, trans)}`
          ),
          {
            autoClose: false
          }
        )
    };
  }

  turnOff(): Promise<IState | null> {
    return this.#run(
      m => m.updateAutoStop({ enable: false }),
      () =>
        this.trans.__(
          'Auto-stop turned off: the instance keeps running, and billing, until it is stopped.'
        )
    );
  }

  turnOn(duration: number): Promise<IState | null> {
    return this.#run(
      m => m.updateAutoStop({ enable: true, duration }),
      () => this.trans.__('Auto-stop turned on.')
    );
  }

  /** The demanager API: a duration set while the instance runs is for its next start. */
  setNextDuration(duration: number): Promise<IState | null> {
    return this.#run(
      m => m.updateAutoStop({ enable: true, duration }),
      () =>
        this.trans.__('Saved: the new duration applies from the next start.')
    );
  }

  setPrompt(prompt: boolean): Promise<IState | null> {
    return this.#run(
      m => m.updateAutoStop({ prompt }),
      () =>
        prompt
          ? this.trans.__('Reminders turned on.')
          : this.trans.__('Reminders turned off.')
    );
  }

  setDescription(description: string): Promise<IState | null> {
    return this.#run(
      m => m.updateDescription(description),
      () => this.trans.__('Description saved.')
    );
  }

  /** The stop time extending by `seconds` gives (upstream clock, ms), and whether it comes before the current one. */
  extendTo(seconds: number): [number, boolean] {
    const stop = this.model.state?.auto_stop.stop_timestamp;
    const to = this.model.serverNow() + seconds * 1000;
    return [to, typeof stop === 'number' && to < stop];
  }

  /** Renew the lease from now; a renewal that would end it sooner asks first (declined: nothing is sent). */
  async extend(seconds: number): Promise<IState | null> {
    const trans = this.trans;
    const [to, earlier] = this.extendTo(seconds);
    if (earlier) {
      const at = (ms: number) => formatLocalTime(ms, trans.languageCode);
      const answer = await showDialog({
        title: trans.__('Stop sooner?'),
        body: trans.__(
          'Extending by %1 counts from now: the instance would stop at %2, before its current stop time (%3).',
          spanText(seconds, trans),
          at(to),
          at(this.model.state?.auto_stop.stop_timestamp as number)
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.warnButton({ label: trans.__('Stop sooner') })
        ]
      });
      if (!answer.button.accept) {
        return null;
      }
    }
    return this.#run(
      m => m.extend(seconds, earlier),
      state => {
        const stop = state.auto_stop.stop_timestamp;
        return stop === null
          ? this.trans.__('Extended.')
          : this.trans.__(
              'Extended: the instance now stops at %1.',
              formatLocalTime(stop, this.trans.languageCode)
            );
      }
    );
  }

  async #run(
    call: (model: ICountdownModel) => Promise<IState>,
    done: (state: IState) => string
  ): Promise<IState | null> {
    try {
      const state = await call(this.model);
      this.#report.done(done(state));
      return state;
    } catch (reason) {
      this.#report.failed(asDevEnvError(reason));
      return null;
    }
  }

  readonly #report: IActionReport;
}
