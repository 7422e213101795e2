import { describe, describeError } from './describe';
import { checkDescription, DESCRIPTION_MAX, FORBIDDEN_DESCRIPTION_CHARS } from './descriptionRules';
import { h } from './dom';
import { autoStopDuration } from './durations';
import { formatLocalTime } from './format';
import { DevEnvError } from './handler';
import { ITrans, spanText } from './i18n';
import { ModelFollower } from './follower';
import { explainError } from './panelErrors';
import { ICountdownModel } from './tokens';
import { IState } from './types';

/** Durations offered for auto-stop: every whole hour the API allows (1-24 h). */
export const PANEL_AUTO_STOP_HOURS = Array.from({ length: 24 }, (_, i) => i + 1);

/** Durations offered to extend a lease (the API allows 1-72 h from now). */
export const PANEL_EXTEND_HOURS = [1, 2, 3, 4, 6, 8, 12, 24, 48, 72];

/** The widget traits of the kernel-side `AutoStopPanel` that the view keeps in sync. */
export interface IPanelTraits {
  instance_id?: string;
  name?: string;
  status?: string;
  flavor?: string;
  backend?: string;
  description?: string;
  enable?: boolean;
  prompt?: boolean;
  duration?: number | null;
  stop_timestamp?: number | null;
  remain_time?: number | null;
  can_extend?: boolean;
  error: string;
}

/**
 * The duration of the run a deadline belongs to, remembered per deadline: on
 * the demanager API a duration changed while the instance runs is for the next
 * start, and must not redraw the bar of the current run.
 */
const runDurations = new Map<number, number>();

function runDuration(stop: number, duration: number | null, remaining: number): number | null {
  let total = runDurations.get(stop);
  if (total === undefined && typeof duration === 'number' && duration > 0) {
    total = duration;
    runDurations.set(stop, total);
  }
  if (total === undefined) {
    return null;
  }
  return Math.max(total, remaining);
}

/**
 * The body of the auto-stop panel: instance, countdown with a bar, auto-stop
 * on/off and duration, extend, "remind me" and the description. It renders
 * from the page's one countdown model, so it shows the same second as the
 * toolbar, and acts through the REST API (never the kernel), so it works
 * while the kernel runs a long cell.
 *
 * The DOM is built once and updated in place: a poll never closes an open
 * `<select>` or loses what is typed.
 */
export class PanelContent extends ModelFollower {
  readonly node: HTMLDivElement;

  constructor(private readonly _options: PanelContent.IOptions) {
    super();
    const { trans } = _options;
    this._uid = `jp-DevEnv-panel-${++PanelContent._count}`;
    const hours = (n: number) => trans.__('%1 h', String(n));

    // Header: instance name, status, flavor.
    this._name = h('span', { class: 'jp-DevEnv-panel-name', 'data-field': 'name' });
    this._status = h('span', { class: 'jp-DevEnv-panel-status', 'data-field': 'status' });
    this._flavor = h('span', { class: 'jp-DevEnv-panel-flavor', 'data-field': 'flavor' });
    this._emulated = h(
      'span',
      { class: 'jp-DevEnv-badge', title: trans.__('Emulated instance (ModelArts emulator)') },
      trans.__('emulated')
    );
    const header = h(
      'div',
      { class: 'jp-DevEnv-panel-header' },
      h('span', { class: 'jp-DevEnv-panel-heading' }, trans.__('Auto-stop')),
      this._name,
      this._status,
      this._flavor,
      this._emulated
    );

    // Countdown and bar.
    this._countdown = h('span', { class: 'jp-DevEnv-panel-countdown', 'data-field': 'countdown', role: 'timer' });
    this._stopAt = h('span', { class: 'jp-DevEnv-panel-stopat', 'data-field': 'stop-at' });
    this._barFill = h('div', { class: 'jp-DevEnv-panel-bar-fill' });
    this._bar = h(
      'div',
      {
        class: 'jp-DevEnv-panel-bar',
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-label': trans.__('Time elapsed of the auto-stop duration'),
        'data-field': 'bar'
      },
      this._barFill
    );
    this._elapsed = h('span', { class: 'jp-DevEnv-panel-elapsed', 'data-field': 'elapsed' });
    this._barRow = h('div', { class: 'jp-DevEnv-panel-barrow' }, this._bar, this._elapsed);
    const clock = h(
      'div',
      { class: 'jp-DevEnv-panel-clock' },
      h('div', { class: 'jp-DevEnv-panel-timeline' }, this._countdown, this._stopAt),
      this._barRow
    );

    // Auto-stop controls (demanager: on/off and duration; notebooks: lease).
    this._turnOff = this._button('turn-off', trans.__('Turn off auto-stop'), () =>
      this._act(() => this._options.model.updateAutoStop({ enable: false }), trans.__('Auto-stop turned off.')), 'warn');
    this._onRow = h(
      'div',
      { class: 'jp-DevEnv-row', 'data-row': 'on' },
      h('span', {}, trans.__('Auto-stop is on.')),
      this._turnOff
    );

    this._duration = this._select('duration', PANEL_AUTO_STOP_HOURS.map(n => n * 3600), hours);
    const durationLabel = h('label', { class: 'jp-DevEnv-panel-field' }, trans.__('Duration'), ' ', this._duration);
    this._turnOn = this._button('turn-on', trans.__('Turn on auto-stop'), () =>
      this._act(
        () => this._options.model.updateAutoStop({ enable: true, duration: Number(this._duration.value) }),
        trans.__('Auto-stop turned on.')
      ), 'accept');
    this._offBlock = h(
      'div',
      { class: 'jp-DevEnv-panel-block', 'data-row': 'off' },
      h('div', { class: 'jp-DevEnv-row' }, durationLabel, this._turnOn),
      h(
        'p',
        { class: 'jp-DevEnv-note', 'data-note': 'turn-on' },
        trans.__(
          'Turned on, auto-stop stops the instance after the chosen duration (1–24 h); the stop time shown is the one the API returns.'
        )
      )
    );

    this._nextDuration = this._select('next-duration', PANEL_AUTO_STOP_HOURS.map(n => n * 3600), hours);
    this._applyNext = this._button('apply-duration', trans.__('Apply'), () =>
      this._act(
        () => this._options.model.updateAutoStop({ enable: true, duration: Number(this._nextDuration.value) }),
        trans.__('Saved: the new duration applies from the next start.')
      ));
    this._nextBlock = h(
      'div',
      { class: 'jp-DevEnv-panel-block', 'data-row': 'next-start' },
      h(
        'div',
        { class: 'jp-DevEnv-row' },
        h('label', { class: 'jp-DevEnv-panel-field' }, trans.__('Duration for the next start'), ' ', this._nextDuration),
        this._applyNext
      ),
      h(
        'p',
        { class: 'jp-DevEnv-note', 'data-note': 'no-extend' },
        trans.__(
          'On this API a running instance cannot be extended: it keeps its stop time, and a new duration (1–24 h) applies from the next start. To keep it running now, turn auto-stop off.'
        )
      )
    );

    this._leaseNote = h(
      'p',
      { class: 'jp-DevEnv-note', 'data-note': 'lease' },
      trans.__(
        'On this API auto-stop is a lease: there is no on/off. Extend renews it for 1–72 h counted from now; the stop time shown is the one the API returns.'
      )
    );
    this._extendSelect = this._select('extend', PANEL_EXTEND_HOURS.map(n => n * 3600), hours);
    this._extend = this._button('extend', trans.__('Extend'), () =>
      this._act(async () => {
        const state = await this._options.model.extend(Number(this._extendSelect.value));
        const stop = state.auto_stop.stop_timestamp;
        if (stop !== null) {
          this._done = trans.__('Extended: the instance now stops at %1.', formatLocalTime(stop, trans.languageCode));
        }
        return state;
      }, trans.__('Extended.')), 'accept');
    this._extendRow = h(
      'div',
      { class: 'jp-DevEnv-row', 'data-row': 'extend' },
      h('label', { class: 'jp-DevEnv-panel-field' }, trans.__('Keep running for'), ' ', this._extendSelect),
      this._extend
    );

    this._prompt = h('input', { type: 'checkbox', 'data-field': 'prompt' }) as HTMLInputElement;
    this._prompt.addEventListener('change', () => {
      const prompt = this._prompt.checked;
      void this._act(
        () => this._options.model.updateAutoStop({ prompt }),
        prompt ? trans.__('Reminders turned on.') : trans.__('Reminders turned off.')
      );
    });
    this._promptHint = h('span', { class: 'jp-DevEnv-panel-hint', 'data-field': 'prompt-hint' });
    const promptRow = h(
      'label',
      { class: 'jp-DevEnv-row jp-DevEnv-check', 'data-row': 'prompt' },
      this._prompt,
      h('span', {}, trans.__('Remind me before the stop')),
      this._promptHint
    );
    this._autoStop = h(
      'div',
      { class: 'jp-DevEnv-panel-section', 'data-section': 'auto-stop' },
      this._onRow,
      this._offBlock,
      this._nextBlock,
      this._leaseNote,
      this._extendRow,
      promptRow
    );

    // Description, checked as it is typed.
    const textareaId = `${this._uid}-description`;
    const ruleId = `${this._uid}-description-rule`;
    this._description = h('textarea', {
      id: textareaId,
      class: 'jp-DevEnv-panel-textarea',
      rows: '2',
      spellcheck: 'false',
      'data-field': 'description',
      'aria-describedby': ruleId
    }) as HTMLTextAreaElement;
    this._description.addEventListener('input', () => this._checkDraft());
    this._count = h('span', { class: 'jp-DevEnv-panel-count', 'data-field': 'description-count' });
    this._rule = h('span', { id: ruleId, class: 'jp-DevEnv-panel-rule', 'data-field': 'description-rule', 'aria-live': 'polite' });
    this._save = this._button('save-description', trans.__('Save'), () => this._saveDescription(), 'accept');
    this._revert = this._button('revert-description', trans.__('Revert'), async () => {
      this._description.value = this._savedDescription;
      this._checkDraft();
    });
    this._descriptionNote = h(
      'p',
      { class: 'jp-DevEnv-note', 'data-note': 'description-readonly' },
      trans.__('On this API the description cannot be changed from here: change it in the ModelArts console.')
    );
    this._descriptionButtons = h('span', { class: 'jp-DevEnv-panel-buttons' }, this._revert, this._save);
    this._descriptionSection = h(
      'div',
      { class: 'jp-DevEnv-panel-section', 'data-section': 'description' },
      h('label', { class: 'jp-DevEnv-panel-label', for: textareaId }, trans.__('Description')),
      this._description,
      h('div', { class: 'jp-DevEnv-panel-descrow' }, this._count, this._rule, this._descriptionButtons),
      this._descriptionNote
    );

    // Messages, errors, footer.
    this._message = h('div', { class: 'jp-DevEnv-panel-message', 'data-field': 'message', 'aria-live': 'polite' });
    this._error = h('div', { class: 'jp-DevEnv-error', 'data-field': 'error', role: 'alert' });
    this._backend = h('span', { class: 'jp-DevEnv-backend', 'data-field': 'backend' });
    const refresh = h(
      'button',
      { type: 'button', class: 'jp-DevEnv-button jp-DevEnv-button-link', 'data-action': 'refresh' },
      trans.__('Refresh')
    );
    refresh.addEventListener('click', () => {
      void this._options.model.refresh().catch(() => undefined);
    });
    const footer = h('div', { class: 'jp-DevEnv-panel-footer' }, this._backend, refresh);

    this.node = h(
      'div',
      { class: 'jp-DevEnv-panel', role: 'group', 'aria-label': trans.__('Auto-stop panel') },
      header,
      clock,
      this._error,
      this._autoStop,
      this._descriptionSection,
      this._message,
      footer
    );
    _options.model.changed.connect(this._update, this);
    _options.model.ticked.connect(this._tick, this);
    this._update();
  }

  dispose(): void {
    if (!this.isDisposed) {
      super.dispose();
      this.node.remove();
    }
  }

  /** The kernel-side traits for the current state (only `error` when nothing is known). */
  traits(): IPanelTraits {
    const { model } = this._options;
    const err = this._actionError ?? model.error;
    const error = err ? `${err.code}: ${err.message}` : '';
    const state = model.state;
    if (!state) {
      return { error };
    }
    const inst = state.instance;
    const auto = state.auto_stop;
    return {
      instance_id: String(inst.id ?? ''),
      name: String(inst.name ?? ''),
      status: String(inst.status ?? ''),
      flavor: String(inst.flavor ?? ''),
      backend: String(state.backend ?? ''),
      description: String(inst.description ?? ''),
      enable: !!auto.enable,
      prompt: auto.prompt !== false,
      duration: auto.duration ?? null,
      stop_timestamp: auto.stop_timestamp ?? null,
      remain_time: model.remaining ?? auto.remain_time ?? null,
      can_extend: !!auto.can_extend,
      error
    };
  }

  /** Everything but the ticking parts: on each answer (or error) of the model. */
  private _update(): void {
    if (this.isDisposed) {
      return;
    }
    const { model, trans } = this._options;
    const state = model.state;
    const auto = state?.auto_stop;
    const inst = state?.instance;
    const phase = model.phase;

    this._setText(this._name, inst?.name || inst?.id || '');
    this._name.title = inst?.id ? trans.__('Instance id: %1', inst.id) : '';
    this._setText(this._status, inst?.status ?? '');
    this._status.dataset.status = (inst?.status ?? '').toLowerCase();
    this._status.hidden = !inst?.status;
    this._setText(this._flavor, inst?.flavor ?? '');
    this._flavor.hidden = !inst?.flavor;
    this._emulated.hidden = !model.config?.emulated;

    const running = phase === 'counting' || phase === 'off' || phase === 'unknown' || phase === 'due';
    const canToggle = !!auto?.can_toggle;
    this._autoStop.hidden = !(state && auto && running);
    if (state && auto) {
      this._onRow.hidden = !(canToggle && auto.enable);
      this._offBlock.hidden = !(canToggle && !auto.enable);
      this._nextBlock.hidden = !(canToggle && auto.enable && !auto.can_extend);
      this._leaseNote.hidden = canToggle;
      this._extendRow.hidden = !auto.can_extend;
      const fallback = autoStopDuration(auto.duration);
      this._choose(this._duration, fallback);
      this._choose(this._nextDuration, fallback);
      this._choose(this._extendSelect, 3600);
      if (!this._busy) {
        this._prompt.checked = auto.prompt; // While busy, it shows what the user asked for.
      }
      const thresholds = model.settings.reminderThresholds;
      this._setText(
        this._promptHint,
        thresholds.length ? trans.__('(at %1 before)', thresholds.map(t => spanText(t, trans)).join(trans.__(', '))) : ''
      );
    }

    // The description: follow the API unless the user is editing it.
    const saved = String(inst?.description ?? '');
    if (this._description.value === this._savedDescription || this._description.value === saved) {
      this._description.value = saved;
    }
    this._savedDescription = saved;
    const editable = !!state && canToggle;
    this._description.readOnly = !editable;
    this._descriptionSection.hidden = !state;
    this._descriptionNote.hidden = editable || !state;
    this._descriptionButtons.hidden = !editable;
    this._checkDraft();

    // Errors: the last action's, else the model's.
    let error = '';
    if (this._actionError) {
      error = explainError(this._actionError, trans);
    } else if (model.error) {
      error = model.error.code === 'DEVENV.NOT_CONFIGURED' ? describeError(model, trans) : explainError(model.error, trans);
    }
    this._setText(this._error, error);
    this._error.hidden = !error;
    this._error.dataset.code = (this._actionError ?? model.error)?.code ?? '';

    this._setText(this._message, this._busy ? trans.__('Working…') : this._done);
    this._message.hidden = !this._message.textContent;
    this._setText(this._backend, state?.backend ? trans.__('Backend: %1', state.backend) : '');

    for (const el of [this._turnOff, this._turnOn, this._applyNext, this._extend, this._duration, this._nextDuration, this._extendSelect, this._prompt]) {
      el.disabled = this._busy;
    }
    this.node.dataset.phase = phase;
    this.node.dataset.backend = state?.backend ?? '';
    this._tick();
    this._options.onTraits?.(this.traits());
  }

  /** The countdown, its classes and the bar: once a second, with the toolbar. */
  private _tick(): void {
    if (this.isDisposed) {
      return;
    }
    const { model, trans } = this._options;
    const d = describe(model, trans);
    this._setText(this._countdown, d.label);
    const className = ['jp-DevEnv-panel-countdown', ...d.classes].join(' ');
    if (this._countdown.className !== className) {
      this._countdown.className = className;
    }
    const auto = model.state?.auto_stop;
    const stop = auto?.stop_timestamp ?? null;
    let stopAt = '';
    switch (d.phase) {
      case 'counting':
        stopAt = trans.__('Stops at %1 (local time).', formatLocalTime(stop as number, trans.languageCode));
        break;
      case 'due':
        stopAt = trans.__('The deadline has passed: the instance is stopping.');
        break;
      case 'off':
        stopAt = trans.__('The instance keeps running until it is stopped.');
        break;
      case 'unknown':
        stopAt = trans.__('Auto-stop is on but the API gives no stop time.');
        break;
      case 'stopped':
        stopAt = trans.__('The instance is %1. It is no longer running.', model.state?.instance.status ?? '?');
        break;
      case 'loading':
        stopAt = '';
        break;
      default:
        stopAt = stop !== null ? trans.__('Last known stop time: %1.', formatLocalTime(stop, trans.languageCode)) : '';
    }
    this._setText(this._stopAt, stopAt);

    const remaining = model.remaining;
    const total =
      (d.phase === 'counting' || d.phase === 'due') && stop !== null && remaining !== null
        ? runDuration(stop, auto?.duration ?? null, remaining)
        : null;
    this._barRow.hidden = total === null;
    if (total !== null && remaining !== null) {
      const elapsed = Math.max(0, total - remaining);
      const percent = total > 0 ? Math.min(100, Math.max(0, (elapsed / total) * 100)) : 100;
      const width = `${percent.toFixed(2)}%`;
      if (this._barFill.style.width !== width) {
        this._barFill.style.width = width;
      }
      this._bar.setAttribute('aria-valuenow', String(Math.round(percent)));
      this._bar.className = ['jp-DevEnv-panel-bar', ...d.classes.filter(c => c.startsWith('jp-DevEnv-level-'))].join(' ');
      this._setText(this._elapsed, trans.__('%1 of %2 elapsed', spanText(elapsed, trans), spanText(total, trans)));
    }
  }

  /** Show the rule as the user types; enable Save only for a valid change. */
  private _checkDraft(): void {
    const { trans } = this._options;
    const value = this._description.value;
    const check = checkDescription(value);
    this._setText(this._count, `${check.length}/${DESCRIPTION_MAX}`);
    this._count.classList.toggle('jp-mod-invalid', check.over > 0);
    this._count.hidden = this._description.readOnly;
    const problems: string[] = [];
    if (check.forbidden.length) {
      problems.push(
        trans.__(
          'Not allowed: %1. A description cannot contain %2.',
          check.forbidden.join(' '),
          FORBIDDEN_DESCRIPTION_CHARS.join(' ')
        )
      );
    }
    if (check.over > 0) {
      problems.push(
        trans.__('Too long by %1: at most %2 characters are allowed.', String(check.over), String(DESCRIPTION_MAX))
      );
    }
    this._setText(this._rule, problems.join(' '));
    this._rule.hidden = problems.length === 0;
    const changed = value !== this._savedDescription;
    this._description.classList.toggle('jp-mod-invalid', !check.valid);
    this._description.setAttribute('aria-invalid', check.valid ? 'false' : 'true');
    this._save.disabled = this._busy || !check.valid || !changed || this._description.readOnly;
    this._revert.disabled = this._busy || !changed;
    this._revert.hidden = !changed;
  }

  private async _saveDescription(): Promise<unknown> {
    const value = this._description.value;
    if (!checkDescription(value).valid || this._description.readOnly) {
      this._checkDraft();
      return null; // Nothing invalid is ever sent.
    }
    return this._act(() => this._options.model.updateDescription(value), this._options.trans.__('Description saved.'));
  }

  /** Run an action: one at a time; its answer is shown as the API gave it, its error in the panel. */
  private async _act(run: () => Promise<IState>, done: string): Promise<IState | null> {
    if (this._busy) {
      return null;
    }
    this._busy = true;
    this._actionError = null;
    this._done = '';
    this._update();
    try {
      const state = await run();
      this._done = this._done || done;
      return state;
    } catch (reason) {
      this._actionError =
        reason instanceof DevEnvError
          ? reason
          : new DevEnvError(0, 'NETWORK', String((reason as Error)?.message ?? reason));
      return null;
    } finally {
      this._busy = false;
      this._update();
    }
  }

  private _button(action: string, label: string, run: () => Promise<unknown>, kind = ''): HTMLButtonElement {
    const button = h(
      'button',
      { type: 'button', 'data-action': action, class: `jp-DevEnv-button${kind ? ` jp-DevEnv-button-${kind}` : ''}` },
      label
    );
    button.addEventListener('click', () => void run());
    return button;
  }

  /** A duration `<select>`; once the user picks a value, polls no longer change it. */
  private _select(name: string, values: number[], label: (hours: number) => string): HTMLSelectElement {
    const select = h('select', { class: 'jp-DevEnv-select', 'data-field': name });
    for (const v of values) {
      select.append(h('option', { value: String(v) }, label(v / 3600)));
    }
    select.addEventListener('change', () => this._touched.add(name));
    return select;
  }

  private _choose(select: HTMLSelectElement, seconds: number): void {
    if (this._touched.has(select.dataset.field ?? '')) {
      return;
    }
    const options = Array.from(select.options).map(o => Number(o.value));
    // The nearest offered value at or above (durations are whole hours).
    const value = options.find(v => v >= seconds) ?? options[options.length - 1];
    select.value = String(value);
  }

  private _setText(el: HTMLElement, text: string): void {
    if (el.textContent !== text) {
      el.textContent = text;
    }
  }

  private static _count = 0;
  private _uid: string;
  private _busy = false;
  private _done = '';
  private _actionError: DevEnvError | null = null;
  private _savedDescription = '';
  private _touched = new Set<string>();
  private _name: HTMLSpanElement;
  private _status: HTMLSpanElement;
  private _flavor: HTMLSpanElement;
  private _emulated: HTMLSpanElement;
  private _countdown: HTMLSpanElement;
  private _stopAt: HTMLSpanElement;
  private _bar: HTMLDivElement;
  private _barFill: HTMLDivElement;
  private _barRow: HTMLDivElement;
  private _elapsed: HTMLSpanElement;
  private _autoStop: HTMLDivElement;
  private _onRow: HTMLDivElement;
  private _turnOff: HTMLButtonElement;
  private _offBlock: HTMLDivElement;
  private _duration: HTMLSelectElement;
  private _turnOn: HTMLButtonElement;
  private _nextBlock: HTMLDivElement;
  private _nextDuration: HTMLSelectElement;
  private _applyNext: HTMLButtonElement;
  private _leaseNote: HTMLParagraphElement;
  private _extendRow: HTMLDivElement;
  private _extendSelect: HTMLSelectElement;
  private _extend: HTMLButtonElement;
  private _prompt: HTMLInputElement;
  private _promptHint: HTMLSpanElement;
  private _description: HTMLTextAreaElement;
  private _count: HTMLSpanElement;
  private _rule: HTMLSpanElement;
  private _save: HTMLButtonElement;
  private _revert: HTMLButtonElement;
  private _descriptionNote: HTMLParagraphElement;
  private _descriptionButtons: HTMLSpanElement;
  private _descriptionSection: HTMLDivElement;
  private _message: HTMLDivElement;
  private _error: HTMLDivElement;
  private _backend: HTMLSpanElement;
}

export namespace PanelContent {
  export interface IOptions {
    model: ICountdownModel;
    trans: ITrans;
    /** Called after every update with the traits the kernel side mirrors. */
    onTraits?: (traits: IPanelTraits) => void;
  }
}
