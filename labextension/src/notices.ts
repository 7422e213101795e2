import { Notification } from '@jupyterlab/apputils';

import { ModelFollower } from './follower';
import { ITrans } from './i18n';
import { CountdownPhase, ICountdownModel } from './tokens';

const LIVE: CountdownPhase[] = ['counting', 'due', 'off', 'unknown'];

/**
 * Says plainly, once, when a live instance has stopped or the Jupyter server
 * is gone, instead of leaving a frozen number.
 */
export class LifecycleNotices extends ModelFollower {
  constructor(
    private readonly _model: ICountdownModel,
    private readonly _trans: ITrans
  ) {
    super();
    _model.changed.connect(this._check, this);
  }

  private _check(): void {
    const phase = this._model.phase;
    const was = this._last;
    this._last = phase;
    if (was === phase || was === null || !LIVE.includes(was)) {
      if (LIVE.includes(phase) && this._shown) {
        Notification.dismiss(this._shown);
        this._shown = null;
      }
      return;
    }
    if (phase === 'stopped') {
      this._show(
        this._trans.__(
          'The instance has stopped (%1). Unsaved changes in this page cannot be saved to it.',
          this._model.state?.instance.status ?? '?'
        )
      );
    } else if (phase === 'unreachable') {
      this._show(this._trans.__('The Jupyter server is gone: the countdown is no longer live.'));
    }
  }

  private _show(message: string): void {
    if (this._shown) {
      Notification.dismiss(this._shown);
    }
    this._shown = Notification.error(message, { autoClose: false, data: { devenv: 'lifecycle' } });
  }

  private _last: CountdownPhase | null = null;
  private _shown: string | null = null;
}
