import { Widget } from '@lumino/widgets';

import { describe } from './describe';
import { ITrans } from './i18n';
import { ICountdownModel } from './tokens';

/**
 * The notebook toolbar's countdown (`devenv-countdown`): a button showing
 * H:MM:SS to the stop or a plain state, with the stop time in its tooltip.
 * It renders from the page's one model; `onClick` opens the popover.
 */
export class CountdownItem extends Widget {
  constructor(
    private readonly _model: ICountdownModel,
    private readonly _trans: ITrans,
    private readonly _onClick: (item: CountdownItem) => void
  ) {
    super({ node: document.createElement('div') });
    this.addClass('jp-DevEnv-countdownItem');
    this._button = document.createElement('button');
    this._button.type = 'button';
    this._button.className = 'jp-DevEnv-countdown';
    this._button.setAttribute('aria-haspopup', 'dialog');
    this._button.setAttribute('aria-expanded', 'false');
    this._icon = document.createElement('span');
    this._icon.className = 'jp-DevEnv-countdown-icon';
    this._icon.setAttribute('aria-hidden', 'true');
    this._label = document.createElement('span');
    this._label.className = 'jp-DevEnv-countdown-label';
    this._button.append(this._icon, this._label);
    this.node.append(this._button);
    this._button.addEventListener('click', () => this._onClick(this));
    _model.changed.connect(this._render, this);
    _model.ticked.connect(this._render, this);
    this._render();
  }

  /** The element the popover is anchored to. */
  get anchor(): HTMLElement {
    return this._button;
  }

  set expanded(value: boolean) {
    this._button.setAttribute('aria-expanded', value ? 'true' : 'false');
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.changed.disconnect(this._render, this);
    this._model.ticked.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const d = describe(this._model, this._trans);
    const className = ['jp-DevEnv-countdown', ...d.classes].join(' ');
    if (this._button.className !== className) {
      this._button.className = className;
    }
    if (this._label.textContent !== d.label) {
      this._label.textContent = d.label;
    }
    const title = `${this._trans.__('Auto-stop countdown')}\n${d.detail}`;
    if (this._button.title !== title) {
      this._button.title = title;
      this._button.setAttribute('aria-label', `${this._trans.__('Auto-stop countdown')}: ${d.label}`);
    }
    const stop = this._model.state?.auto_stop.stop_timestamp;
    this.node.dataset.phase = d.phase;
    this.node.dataset.stopTimestamp = stop === null || stop === undefined ? '' : String(stop);
  }

  private _button: HTMLButtonElement;
  private _icon: HTMLSpanElement;
  private _label: HTMLSpanElement;
}
