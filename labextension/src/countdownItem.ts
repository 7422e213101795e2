import { Widget } from '@lumino/widgets';

import { describe, showCountdown } from './describe';
import { h } from './dom';
import { ITrans } from './i18n';
import { AutoStopPopover } from './popover';
import { ICountdownModel } from './tokens';

/**
 * The notebook toolbar's countdown (`devenv-countdown`): a button showing
 * H:MM:SS to the stop or a plain state, with the stop time in its tooltip.
 * It renders from the page's one model, and opens and closes its popover (made
 * by `makePopover`) on a click or `togglePopover()`. While a hold keeps the
 * instance running, a "held" mark follows (the reasons in its tooltip).
 */
export class CountdownItem extends Widget {
  constructor(
    model: ICountdownModel,
    trans: ITrans,
    makePopover: () => AutoStopPopover
  ) {
    super({ node: document.createElement('div') });
    this.#model = model;
    this.#trans = trans;
    this.#makePopover = makePopover;
    this.#held.textContent = trans.__('held');
    this.addClass('jp-DevEnv-countdownItem');
    this.#button = h(
      'button',
      {
        type: 'button',
        class: 'countdown',
        'aria-haspopup': 'dialog',
        'aria-expanded': 'false'
      },
      h('span', { class: 'countdown-icon', 'aria-hidden': 'true' }),
      this.#label
    );
    this.node.append(this.#button);
    this.#button.addEventListener('click', () => this.togglePopover());
    model.changed.connect(this.#render, this);
    model.ticked.connect(this.#render, this);
    this.#render();
  }

  /** Open the popover below the button, or close it when it is open. */
  togglePopover(): void {
    if (this.#popover) {
      this.#popover.dispose();
      return;
    }
    const popover = (this.#popover = this.#makePopover());
    popover.disposed.connect(() => {
      this.#popover = null;
      this.#button.setAttribute('aria-expanded', 'false');
    });
    this.#button.setAttribute('aria-expanded', 'true');
    popover.open(this.#button);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.#popover?.dispose();
    this.#model.changed.disconnect(this.#render, this);
    this.#model.ticked.disconnect(this.#render, this);
    super.dispose();
  }

  #render(): void {
    const d = describe(this.#model, this.#trans);
    showCountdown(this.#button, 'jp-DevEnv-countdown', d, this.#label);
    const name = this.#trans.__('Auto-stop countdown');
    const title = `${name}\n${d.detail}`;
    if (this.#button.title !== title) {
      this.#button.title = title;
      this.#button.setAttribute('aria-label', `${name}: ${d.label}`);
    }
    // A hold: a mark (added, not hidden: the button's text is the countdown's otherwise).
    const holds = this.#model.holds?.holds ?? [];
    if (holds.length) {
      this.#held.title = holds.map(x => x.reason).join('\n');
      this.#button.append(this.#held);
    } else {
      this.#held.remove();
    }
    const stop = this.#model.state?.auto_stop.stop_timestamp;
    this.node.dataset.phase = d.phase;
    this.node.dataset.stopTimestamp =
      stop === null || stop === undefined ? '' : String(stop);
  }

  readonly #model: ICountdownModel;
  readonly #trans: ITrans;
  readonly #makePopover: () => AutoStopPopover;
  #popover: AutoStopPopover | null = null;
  readonly #button: HTMLButtonElement;
  readonly #label = h('span', { class: 'countdown-label' });
  readonly #held = h('span', { class: 'held' });
}
