import { Widget } from '@lumino/widgets';

import { JupyterFrontEnd } from '@jupyterlab/application';

import { AutoStopRunner } from './actions';
import { AutoStopControls } from './autoStopControls';
import { CommandIDs } from './commands';
import { apiName, describe, emulatedBadge, showCountdown } from './describe';
import { button, h, setText } from './dom';
import { ITrans } from './i18n';
import { canAskToNotify, showHolds } from './holds';
import { InstancePicker } from './instancePicker';
import { ICountdownModel } from './tokens';

/**
 * The toolbar item's popover: the essential controls at once, whatever the
 * kernel is doing (they call the REST API), and a way to insert the full panel;
 * the instances to choose from while none is set, or on "Change instance"; the
 * holds keeping the instance running, with Release; a button asking for the
 * browser's permission to notify (reminders in a hidden tab).
 */
export class AutoStopPopover extends Widget {
  constructor(options: AutoStopPopover.IOptions) {
    super();
    this.#options = options;
    this.addClass('jp-DevEnv-popover');
    this.node.setAttribute('role', 'dialog');
    this.node.setAttribute(
      'aria-label',
      options.trans.__('Auto-stop countdown')
    );
    this.node.tabIndex = -1;
    const { model, trans, actions, commands, notebook } = options;
    this.#badge = emulatedBadge(trans);
    const close = h(
      'button',
      {
        type: 'button',
        class: 'close',
        'data-action': 'close',
        'aria-label': trans.__('Close')
      },
      '×'
    );
    close.addEventListener('click', () => this.dispose());
    this.#busy = h('div', { class: 'busy' }, trans.__('Working…'));
    this.#retry = button('retry', trans.__('Retry'), 'link');
    this.#retry.addEventListener(
      'click',
      () => void commands.execute(CommandIDs.refresh)
    );
    this.#controls = new AutoStopControls(actions, () => this.#render());
    this.#picker = new InstancePicker(model, trans, () => {
      this.#changing = false;
      this.#render();
    });
    this.#change = button(
      'change-instance',
      trans.__('Change instance'),
      'link'
    );
    this.#change.addEventListener('click', () => {
      this.#changing = !this.#changing;
      this.#render();
    });
    this.#fixed = h(
      'span',
      { class: 'note', 'data-note': 'fixed' },
      trans.__('The instance is set in the server configuration.')
    );
    const footer = (this.#footer = h('div', { class: 'popover-footer' }));
    if (notebook) {
      const insert = button(
        'insert-panel',
        trans.__('Insert the full panel into the notebook'),
        'link'
      );
      insert.addEventListener('click', () => {
        this.dispose();
        void commands.execute(CommandIDs.insertPanel, { notebook });
      });
      footer.append(insert);
    }
    this.#ask = button(
      'notify',
      trans.__('Enable browser notifications'),
      'link'
    );
    this.#ask.onclick = () =>
      void window.Notification.requestPermission().then(() => this.#render());
    footer.append(this.#change, this.#fixed, this.#ask, this.#backend);
    this.node.append(
      h(
        'div',
        { class: 'popover-header' },
        this.#countdown,
        this.#badge,
        close
      ),
      this.#detail,
      this.#retry,
      this.#holds,
      this.#picker.node,
      this.#controls.node,
      footer
    );
    model.changed.connect(this.#render, this);
    model.ticked.connect(this.#tick, this);
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
    const left = Math.max(
      8,
      Math.min(rect.right - width, window.innerWidth - width - 8)
    );
    this.node.style.left = `${left}px`;
    this.node.style.top = `${rect.bottom + 4}px`;
  }

  #tick(): void {
    const d = describe(this.#options.model, this.#options.trans);
    showCountdown(this.#countdown, 'jp-DevEnv-popover-countdown', d);
    setText(this.#detail, d.detail);
    showHolds(this.#holds, this.#options.model, this.#options.trans, id =>
      this.#options.commands.execute(CommandIDs.releaseHold, { id })
    );
    this.#controls.tick();
  }

  #render(): void {
    if (this.isDisposed) {
      return;
    }
    const { model, trans } = this.#options;
    this.#tick();
    this.#badge.hidden = !model.state?.emulated;
    const phase = model.phase;
    const config = model.config;
    const setUp = phase !== 'choose' && phase !== 'server-missing';
    const set = !!config?.instance_id && setUp;
    const fixed = config?.instance_source === 'config';
    this.#changing &&= set && !fixed;
    const pick = phase === 'choose' || this.#changing;
    if (pick === this.#picker.node.hidden) {
      this.#picker.node.hidden = !pick;
      if (pick) {
        void this.#picker.load();
      }
    }
    this.#change.hidden = !set || fixed;
    this.#change.setAttribute('aria-expanded', String(this.#changing));
    this.#fixed.hidden = !set || !fixed;
    this.#ask.hidden = !canAskToNotify(model);
    this.#footer.hidden = !setUp; // Nothing there to do until an instance is set.
    this.#controls.update();
    this.#controls.node.hidden ||= pick;
    if (this.#controls.busy) {
      this.#controls.node.after(this.#busy);
    } else {
      this.#busy.remove();
    }
    setText(this.#backend, apiName(model.state?.backend, trans));
    this.#retry.hidden = !model.error || phase === 'server-missing';
    this.node.dataset.phase = phase;
    if (this.isAttached) {
      this.#place();
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
  readonly #controls: AutoStopControls;
  readonly #picker: InstancePicker;
  readonly #change: HTMLButtonElement;
  readonly #fixed: HTMLSpanElement;
  readonly #footer: HTMLDivElement;
  readonly #ask: HTMLButtonElement;
  readonly #holds = h('div', { class: 'holds', 'data-section': 'holds' });
  /** "Change instance" is open. */
  #changing = false;
  readonly #countdown = h('span');
  readonly #badge: HTMLSpanElement;
  readonly #detail = h('div', { class: 'popover-detail' });
  readonly #busy: HTMLDivElement;
  readonly #retry: HTMLButtonElement;
  readonly #backend = h('span', { class: 'backend' });
  #anchor: HTMLElement | null = null;
}

export namespace AutoStopPopover {
  export interface IOptions {
    model: ICountdownModel;
    trans: ITrans;
    /** The actions, run as commands (`runCommands`). */
    actions: AutoStopRunner;
    commands: JupyterFrontEnd['commands'];
    /** The id of the notebook panel whose toolbar holds the popover: "insert the full panel" goes there. */
    notebook?: string;
  }
}
