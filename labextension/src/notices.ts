import { Notification } from '@jupyterlab/apputils';

import { statusWords } from './describe';
import { toastText } from './format';
import { ModelFollower } from './follower';
import { ITrans } from './i18n';
import { ICountdownModel, LIVE_PHASES } from './tokens';

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

  /** Once a live instance is seen, say when it is no longer running (not while it is still stopping) or the server is gone. */
  #check(): void {
    const phase = this.#model.phase;
    const status = this.#model.state?.phase;
    const trans = this.#trans;
    if (LIVE_PHASES.includes(phase)) {
      this.#armed = true;
      if (this.#shown) {
        Notification.dismiss(this.#shown);
        this.#shown = null;
      }
    } else if (
      this.#armed &&
      phase === 'stopped' &&
      status !== 'stopping' &&
      status !== 'saving'
    ) {
      this.#show(
        `${statusWords(status, trans)[1]} ${trans.__('Unsaved changes in this page cannot be saved to it.')}`
      );
    } else if (this.#armed && phase === 'unreachable') {
      this.#show(
        trans.__('The Jupyter server is gone: the countdown is no longer live.')
      );
    }
  }

  #show(message: string): void {
    this.#armed = false;
    if (this.#shown) {
      Notification.dismiss(this.#shown);
    }
    this.#shown = Notification.error(toastText(message), {
      autoClose: false,
      data: { devenv: 'lifecycle' }
    });
  }

  readonly #model: ICountdownModel;
  readonly #trans: ITrans;
  #armed = false;
  #shown: string | null = null;
}
