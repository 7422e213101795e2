import { Notification } from '@jupyterlab/apputils';

import { ModelFollower } from './follower';
import { ITrans } from './i18n';
import { CountdownPhase, ICountdownModel, LIVE_PHASES } from './tokens';

/**
 * Says plainly, once, when a live instance has stopped or the Jupyter server
 * is gone, instead of leaving a frozen number.
 */
export class LifecycleNotices extends ModelFollower {
  constructor(model: ICountdownModel, trans: ITrans) {
    super();
    this.#model = model;
    this.#trans = trans;
    model.changed.connect(this.#check, this);
  }

  #check(): void {
    const phase = this.#model.phase;
    const was = this.#last;
    this.#last = phase;
    if (was === phase || was === null || !LIVE_PHASES.includes(was)) {
      if (LIVE_PHASES.includes(phase) && this.#shown) {
        Notification.dismiss(this.#shown);
        this.#shown = null;
      }
      return;
    }
    if (phase === 'stopped') {
      this.#show(
        this.#trans.__(
          'The instance has stopped (%1). Unsaved changes in this page cannot be saved to it.',
          this.#model.state?.instance.status ?? '?'
        )
      );
    } else if (phase === 'unreachable') {
      this.#show(this.#trans.__('The Jupyter server is gone: the countdown is no longer live.'));
    }
  }

  #show(message: string): void {
    if (this.#shown) {
      Notification.dismiss(this.#shown);
    }
    this.#shown = Notification.error(message, { autoClose: false, data: { devenv: 'lifecycle' } });
  }

  readonly #model: ICountdownModel;
  readonly #trans: ITrans;
  #last: CountdownPhase | null = null;
  #shown: string | null = null;
}
