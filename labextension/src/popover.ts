import { Widget } from '@lumino/widgets';

import { AutoStopActions } from './actions';
import { describe, describeError } from './describe';
import { around, durationSelect, h } from './dom';
import { AUTO_STOP_DURATIONS, autoStopDuration, EXTEND_DURATIONS } from './durations';
import { formatHMS } from './format';
import { ITrans } from './i18n';
import { ICountdownModel } from './tokens';

/**
 * The toolbar item's popover: the essential controls at once, whatever the
 * kernel is doing (they call the REST API), and a way to insert the full panel.
 */
export class AutoStopPopover extends Widget {
  constructor(options: AutoStopPopover.IOptions) {
    super();
    this.#options = options;
    this.addClass('jp-DevEnv-popover');
    this.node.setAttribute('role', 'dialog');
    this.node.setAttribute('aria-label', options.trans.__('Auto-stop countdown'));
    this.node.tabIndex = -1;
    options.model.changed.connect(this.#render, this);
    options.model.ticked.connect(this.#tick, this);
    this.#render();
  }

  /** Show below `anchor`; closes on Escape or a click elsewhere. */
  open(anchor: HTMLElement): void {
    this.#anchor = anchor;
    Widget.attach(this, document.body);
    this.#place();
    document.addEventListener('mousedown', this.#onDocMouseDown, true);
    document.addEventListener('keydown', this.#onKeyDown, true);
    window.addEventListener('resize', this.#onResize);
    this.node.focus();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    document.removeEventListener('mousedown', this.#onDocMouseDown, true);
    document.removeEventListener('keydown', this.#onKeyDown, true);
    window.removeEventListener('resize', this.#onResize);
    this.#options.model.changed.disconnect(this.#render, this);
    this.#options.model.ticked.disconnect(this.#tick, this);
    super.dispose();
  }

  #place(): void {
    if (!this.#anchor) {
      return;
    }
    const rect = this.#anchor.getBoundingClientRect();
    const width = this.node.offsetWidth || 320;
    const left = Math.max(8, Math.min(rect.right - width, window.innerWidth - width - 8));
    this.node.style.left = `${left}px`;
    this.node.style.top = `${rect.bottom + 4}px`;
  }

  #tick(): void {
    const el = this.node.querySelector('.jp-DevEnv-popover-countdown');
    if (el) {
      const d = describe(this.#options.model, this.#options.trans);
      el.textContent = d.phase === 'counting' ? formatHMS(d.remaining ?? 0) : d.label;
    }
  }

  #render(): void {
    const { model, trans, actions } = this.#options;
    const d = describe(model, trans);
    const state = model.state;
    const auto = state?.auto_stop;
    const running = d.phase === 'counting' || d.phase === 'off' || d.phase === 'unknown' || d.phase === 'due';
    const hours = (s: number) => trans.__('%1 h', String(s / 3600));

    const header = h(
      'div',
      { class: 'jp-DevEnv-popover-header' },
      h('span', { class: `jp-DevEnv-popover-countdown ${d.classes.join(' ')}` }, d.phase === 'counting' ? formatHMS(d.remaining ?? 0) : d.label),
      model.config?.emulated ? h('span', { class: 'jp-DevEnv-badge', title: trans.__('Emulated instance (ModelArts emulator)') }, trans.__('emulated')) : null,
      this.#closeButton()
    );
    const detail = h('div', { class: 'jp-DevEnv-popover-detail' }, d.detail);
    const controls = h('div', { class: 'jp-DevEnv-popover-controls' });

    if (state && auto && running) {
      // The notebooks API has no on/off: its auto-stop is a lease, moved by Extend.
      const canToggle = auto.can_toggle;
      if (canToggle && auto.enable) {
        controls.append(
          h('div', { class: 'jp-DevEnv-row' }, this.#button('turn-off', trans.__('Turn off auto-stop'), () => actions.turnOff(), 'warn'))
        );
      } else if (canToggle) {
        const select = this.#select('duration', AUTO_STOP_DURATIONS, autoStopDuration(auto.duration), hours);
        controls.append(
          h(
            'div',
            { class: 'jp-DevEnv-row' },
            h('label', {}, trans.__('Duration'), ' ', select),
            this.#button('turn-on', trans.__('Turn on auto-stop'), () => actions.turnOn(Number(select.value)))
          )
        );
      }
      if (auto.can_extend) {
        const select = this.#select('extend', EXTEND_DURATIONS, 3600, hours);
        if (!canToggle) {
          controls.append(
            h(
              'p',
              { class: 'jp-DevEnv-note', 'data-note': 'lease' },
              trans.__('On this API auto-stop is a lease: it cannot be turned off here, but Extend keeps the instance running for up to 72 h from now.')
            )
          );
        }
        controls.append(
          h(
            'div',
            { class: 'jp-DevEnv-row' },
            h('label', {}, ...around(trans, 'Keep running for %1 from now', select)),
            this.#button('extend', trans.__('Extend'), () => actions.extend(Number(select.value)), 'accept')
          )
        );
      } else if (auto.enable && canToggle) {
        const select = this.#select('next-duration', AUTO_STOP_DURATIONS, autoStopDuration(auto.duration), hours);
        controls.append(
          h(
            'p',
            { class: 'jp-DevEnv-note', 'data-note': 'no-extend' },
            trans.__(
              'On this backend the instance cannot be extended while it runs: a new duration applies at the next start. You can turn auto-stop off now.'
            )
          ),
          h(
            'div',
            { class: 'jp-DevEnv-row' },
            h('label', {}, trans.__('Duration for the next start'), ' ', select),
            this.#button('apply-duration', trans.__('Apply'), () => actions.turnOn(Number(select.value)))
          )
        );
      }
      const prompt = h('input', { type: 'checkbox', 'data-field': 'prompt' }) as HTMLInputElement;
      prompt.checked = auto.prompt;
      prompt.disabled = this.#busy;
      prompt.addEventListener('change', () => void this.#do(() => actions.setPrompt(prompt.checked)));
      controls.append(h('label', { class: 'jp-DevEnv-row jp-DevEnv-check' }, prompt, ' ', trans.__('Remind me before the stop')));
    }
    if (this.#busy) {
      controls.append(h('div', { class: 'jp-DevEnv-busy' }, trans.__('Working…')));
    }
    const footer = h('div', { class: 'jp-DevEnv-popover-footer' });
    if (this.#options.insertPanel) {
      footer.append(this.#button('insert-panel', trans.__('Insert the full panel into the notebook'), async () => {
        this.dispose();
        await this.#options.insertPanel?.();
      }, 'link'));
    }
    if (state?.backend) {
      footer.append(h('span', { class: 'jp-DevEnv-backend' }, trans.__('Backend: %1', state.backend)));
    }
    const error = model.error && d.phase !== 'unconfigured' && d.phase !== 'unreachable' && d.phase !== 'error'
      ? h('div', { class: 'jp-DevEnv-error' }, describeError(model, trans))
      : null;
    this.node.replaceChildren(header, detail, ...(error ? [error] : []), controls, footer);
    this.node.dataset.phase = d.phase;
    if (this.isAttached) {
      this.#place();
    }
  }

  #closeButton(): HTMLButtonElement {
    const trans = this.#options.trans;
    const button = h(
      'button',
      { type: 'button', class: 'jp-DevEnv-close', 'data-action': 'close', 'aria-label': trans.__('Close'), title: trans.__('Close') },
      '×'
    );
    button.addEventListener('click', () => this.dispose());
    return button;
  }

  /** A duration `<select>` that keeps the user's choice across re-renders. */
  #select(name: string, values: number[], fallback: number, label: (s: number) => string): HTMLSelectElement {
    const select = durationSelect(name, values, this.#choices.get(name) ?? fallback, label);
    select.disabled = this.#busy;
    select.addEventListener('change', () => this.#choices.set(name, Number(select.value)));
    return select;
  }

  #button(action: string, label: string, run: () => Promise<unknown> | void, kind = ''): HTMLButtonElement {
    const button = h(
      'button',
      { type: 'button', 'data-action': action, class: `jp-DevEnv-button ${kind ? `jp-DevEnv-button-${kind}` : ''}`, disabled: this.#busy },
      label
    );
    button.addEventListener('click', () => void this.#do(run));
    return button;
  }

  async #do(run: () => Promise<unknown> | void): Promise<void> {
    if (this.#busy) {
      return;
    }
    this.#busy = true;
    this.#render();
    try {
      await run();
    } finally {
      this.#busy = false;
      if (!this.isDisposed) {
        this.#render();
      }
    }
  }

  #onDocMouseDown = (event: MouseEvent) => {
    const target = event.target as Node;
    if (this.node.contains(target) || this.#anchor?.contains(target)) {
      return;
    }
    this.dispose();
  };

  #onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.dispose();
    }
  };

  #onResize = () => this.#place();

  readonly #options: AutoStopPopover.IOptions;
  #anchor: HTMLElement | null = null;
  #choices = new Map<string, number>();
  #busy = false;
}

export namespace AutoStopPopover {
  export interface IOptions {
    model: ICountdownModel;
    trans: ITrans;
    actions: AutoStopActions;
    /** Insert the full panel into the notebook, when there is one. */
    insertPanel?: () => Promise<void>;
  }
}
