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

  constructor(options: PanelContent.IOptions) {
    super();
    this.#options = options;
    const { trans } = options;
    this.#uid = `jp-DevEnv-panel-${++PanelContent.#panels}`;
    const hours = (n: number) => trans.__('%1 h', String(n));

    // Header: instance name, status, flavor.
    this.#name = h('span', { class: 'jp-DevEnv-panel-name', 'data-field': 'name' });
    this.#status = h('span', { class: 'jp-DevEnv-panel-status', 'data-field': 'status' });
    this.#flavor = h('span', { class: 'jp-DevEnv-panel-flavor', 'data-field': 'flavor' });
    this.#emulated = h(
      'span',
      { class: 'jp-DevEnv-badge', title: trans.__('Emulated instance (ModelArts emulator)') },
      trans.__('emulated')
    );
    const header = h(
      'div',
      { class: 'jp-DevEnv-panel-header' },
      h('span', { class: 'jp-DevEnv-panel-heading' }, trans.__('Auto-stop')),
      this.#name,
      this.#status,
      this.#flavor,
      this.#emulated
    );

    // Countdown and bar.
    this.#countdown = h('span', { class: 'jp-DevEnv-panel-countdown', 'data-field': 'countdown', role: 'timer' });
    this.#stopAt = h('span', { class: 'jp-DevEnv-panel-stopat', 'data-field': 'stop-at' });
    this.#barFill = h('div', { class: 'jp-DevEnv-panel-bar-fill' });
    this.#bar = h(
      'div',
      {
        class: 'jp-DevEnv-panel-bar',
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-label': trans.__('Time elapsed of the auto-stop duration'),
        'data-field': 'bar'
      },
      this.#barFill
    );
    this.#elapsed = h('span', { class: 'jp-DevEnv-panel-elapsed', 'data-field': 'elapsed' });
    this.#barRow = h('div', { class: 'jp-DevEnv-panel-barrow' }, this.#bar, this.#elapsed);
    const clock = h(
      'div',
      { class: 'jp-DevEnv-panel-clock' },
      h('div', { class: 'jp-DevEnv-panel-timeline' }, this.#countdown, this.#stopAt),
      this.#barRow
    );

    // Auto-stop controls (demanager: on/off and duration; notebooks: lease).
    this.#turnOff = this.#button('turn-off', trans.__('Turn off auto-stop'), () =>
      this.#act(() => this.#options.model.updateAutoStop({ enable: false }), trans.__('Auto-stop turned off.')), 'warn');
    this.#onRow = h(
      'div',
      { class: 'jp-DevEnv-row', 'data-row': 'on' },
      h('span', {}, trans.__('Auto-stop is on.')),
      this.#turnOff
    );

    this.#duration = this.#select('duration', PANEL_AUTO_STOP_HOURS.map(n => n * 3600), hours);
    const durationLabel = h('label', { class: 'jp-DevEnv-panel-field' }, trans.__('Duration'), ' ', this.#duration);
    this.#turnOn = this.#button('turn-on', trans.__('Turn on auto-stop'), () =>
      this.#act(
        () => this.#options.model.updateAutoStop({ enable: true, duration: Number(this.#duration.value) }),
        trans.__('Auto-stop turned on.')
      ), 'accept');
    this.#offBlock = h(
      'div',
      { class: 'jp-DevEnv-panel-block', 'data-row': 'off' },
      h('div', { class: 'jp-DevEnv-row' }, durationLabel, this.#turnOn),
      h(
        'p',
        { class: 'jp-DevEnv-note', 'data-note': 'turn-on' },
        trans.__(
          'Turned on, auto-stop stops the instance after the chosen duration (1–24 h); the stop time shown is the one the API returns.'
        )
      )
    );

    this.#nextDuration = this.#select('next-duration', PANEL_AUTO_STOP_HOURS.map(n => n * 3600), hours);
    this.#applyNext = this.#button('apply-duration', trans.__('Apply'), () =>
      this.#act(
        () => this.#options.model.updateAutoStop({ enable: true, duration: Number(this.#nextDuration.value) }),
        trans.__('Saved: the new duration applies from the next start.')
      ));
    this.#nextBlock = h(
      'div',
      { class: 'jp-DevEnv-panel-block', 'data-row': 'next-start' },
      h(
        'div',
        { class: 'jp-DevEnv-row' },
        h('label', { class: 'jp-DevEnv-panel-field' }, trans.__('Duration for the next start'), ' ', this.#nextDuration),
        this.#applyNext
      ),
      h(
        'p',
        { class: 'jp-DevEnv-note', 'data-note': 'no-extend' },
        trans.__(
          'On this API a running instance cannot be extended: it keeps its stop time, and a new duration (1–24 h) applies from the next start. To keep it running now, turn auto-stop off.'
        )
      )
    );

    this.#leaseNote = h(
      'p',
      { class: 'jp-DevEnv-note', 'data-note': 'lease' },
      trans.__(
        'On this API auto-stop is a lease: there is no on/off. Extend renews it for 1–72 h counted from now; the stop time shown is the one the API returns.'
      )
    );
    this.#extendSelect = this.#select('extend', PANEL_EXTEND_HOURS.map(n => n * 3600), hours);
    this.#extend = this.#button('extend', trans.__('Extend'), () =>
      this.#act(async () => {
        const state = await this.#options.model.extend(Number(this.#extendSelect.value));
        const stop = state.auto_stop.stop_timestamp;
        if (stop !== null) {
          this.#done = trans.__('Extended: the instance now stops at %1.', formatLocalTime(stop, trans.languageCode));
        }
        return state;
      }, trans.__('Extended.')), 'accept');
    this.#extendRow = h(
      'div',
      { class: 'jp-DevEnv-row', 'data-row': 'extend' },
      h('label', { class: 'jp-DevEnv-panel-field' }, trans.__('Keep running for'), ' ', this.#extendSelect),
      this.#extend
    );

    this.#prompt = h('input', { type: 'checkbox', 'data-field': 'prompt' }) as HTMLInputElement;
    this.#prompt.addEventListener('change', () => {
      const prompt = this.#prompt.checked;
      void this.#act(
        () => this.#options.model.updateAutoStop({ prompt }),
        prompt ? trans.__('Reminders turned on.') : trans.__('Reminders turned off.')
      );
    });
    this.#promptHint = h('span', { class: 'jp-DevEnv-panel-hint', 'data-field': 'prompt-hint' });
    const promptRow = h(
      'label',
      { class: 'jp-DevEnv-row jp-DevEnv-check', 'data-row': 'prompt' },
      this.#prompt,
      h('span', {}, trans.__('Remind me before the stop')),
      this.#promptHint
    );
    this.#autoStop = h(
      'div',
      { class: 'jp-DevEnv-panel-section', 'data-section': 'auto-stop' },
      this.#onRow,
      this.#offBlock,
      this.#nextBlock,
      this.#leaseNote,
      this.#extendRow,
      promptRow
    );

    // Description, checked as it is typed.
    const textareaId = `${this.#uid}-description`;
    const ruleId = `${this.#uid}-description-rule`;
    this.#description = h('textarea', {
      id: textareaId,
      class: 'jp-DevEnv-panel-textarea',
      rows: '2',
      spellcheck: 'false',
      'data-field': 'description',
      'aria-describedby': ruleId
    }) as HTMLTextAreaElement;
    this.#description.addEventListener('input', () => this.#checkDraft());
    this.#count = h('span', { class: 'jp-DevEnv-panel-count', 'data-field': 'description-count' });
    this.#rule = h('span', { id: ruleId, class: 'jp-DevEnv-panel-rule', 'data-field': 'description-rule', 'aria-live': 'polite' });
    this.#save = this.#button('save-description', trans.__('Save'), () => this.#saveDescription(), 'accept');
    this.#revert = this.#button('revert-description', trans.__('Revert'), async () => {
      this.#description.value = this.#savedDescription;
      this.#checkDraft();
    });
    this.#descriptionNote = h(
      'p',
      { class: 'jp-DevEnv-note', 'data-note': 'description-readonly' },
      trans.__('On this API the description cannot be changed from here: change it in the ModelArts console.')
    );
    this.#descriptionButtons = h('span', { class: 'jp-DevEnv-panel-buttons' }, this.#revert, this.#save);
    this.#descriptionSection = h(
      'div',
      { class: 'jp-DevEnv-panel-section', 'data-section': 'description' },
      h('label', { class: 'jp-DevEnv-panel-label', for: textareaId }, trans.__('Description')),
      this.#description,
      h('div', { class: 'jp-DevEnv-panel-descrow' }, this.#count, this.#rule, this.#descriptionButtons),
      this.#descriptionNote
    );

    // Messages, errors, footer.
    this.#message = h('div', { class: 'jp-DevEnv-panel-message', 'data-field': 'message', 'aria-live': 'polite' });
    this.#error = h('div', { class: 'jp-DevEnv-error', 'data-field': 'error', role: 'alert' });
    this.#backend = h('span', { class: 'jp-DevEnv-backend', 'data-field': 'backend' });
    const refresh = h(
      'button',
      { type: 'button', class: 'jp-DevEnv-button jp-DevEnv-button-link', 'data-action': 'refresh' },
      trans.__('Refresh')
    );
    refresh.addEventListener('click', () => {
      void this.#options.model.refresh().catch(() => undefined);
    });
    const footer = h('div', { class: 'jp-DevEnv-panel-footer' }, this.#backend, refresh);

    this.node = h(
      'div',
      { class: 'jp-DevEnv-panel', role: 'group', 'aria-label': trans.__('Auto-stop panel') },
      header,
      clock,
      this.#error,
      this.#autoStop,
      this.#descriptionSection,
      this.#message,
      footer
    );
    options.model.changed.connect(this.#update, this);
    options.model.ticked.connect(this.#tick, this);
    this.#update();
  }

  dispose(): void {
    if (!this.isDisposed) {
      super.dispose();
      this.node.remove();
    }
  }

  /** The kernel-side traits for the current state (only `error` when nothing is known). */
  traits(): IPanelTraits {
    const { model } = this.#options;
    const err = this.#actionError ?? model.error;
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
  #update(): void {
    if (this.isDisposed) {
      return;
    }
    const { model, trans } = this.#options;
    const state = model.state;
    const auto = state?.auto_stop;
    const inst = state?.instance;
    const phase = model.phase;

    this.#setText(this.#name, inst?.name || inst?.id || '');
    this.#name.title = inst?.id ? trans.__('Instance id: %1', inst.id) : '';
    this.#setText(this.#status, inst?.status ?? '');
    this.#status.dataset.status = (inst?.status ?? '').toLowerCase();
    this.#status.hidden = !inst?.status;
    this.#setText(this.#flavor, inst?.flavor ?? '');
    this.#flavor.hidden = !inst?.flavor;
    this.#emulated.hidden = !model.config?.emulated;

    const running = phase === 'counting' || phase === 'off' || phase === 'unknown' || phase === 'due';
    const canToggle = !!auto?.can_toggle;
    this.#autoStop.hidden = !(state && auto && running);
    if (state && auto) {
      this.#onRow.hidden = !(canToggle && auto.enable);
      this.#offBlock.hidden = !(canToggle && !auto.enable);
      this.#nextBlock.hidden = !(canToggle && auto.enable && !auto.can_extend);
      this.#leaseNote.hidden = canToggle;
      this.#extendRow.hidden = !auto.can_extend;
      const fallback = autoStopDuration(auto.duration);
      this.#choose(this.#duration, fallback);
      this.#choose(this.#nextDuration, fallback);
      this.#choose(this.#extendSelect, 3600);
      if (!this.#busy) {
        this.#prompt.checked = auto.prompt; // While busy, it shows what the user asked for.
      }
      const thresholds = model.settings.reminderThresholds;
      this.#setText(
        this.#promptHint,
        thresholds.length ? trans.__('(at %1 before)', thresholds.map(t => spanText(t, trans)).join(trans.__(', '))) : ''
      );
    }

    // The description: follow the API unless the user is editing it.
    const saved = String(inst?.description ?? '');
    if (this.#description.value === this.#savedDescription || this.#description.value === saved) {
      this.#description.value = saved;
    }
    this.#savedDescription = saved;
    const editable = !!state && canToggle;
    this.#description.readOnly = !editable;
    this.#descriptionSection.hidden = !state;
    this.#descriptionNote.hidden = editable || !state;
    this.#descriptionButtons.hidden = !editable;
    this.#checkDraft();

    // Errors: the last action's, else the model's.
    let error = '';
    if (this.#actionError) {
      error = explainError(this.#actionError, trans);
    } else if (model.error) {
      error = model.error.code === 'DEVENV.NOT_CONFIGURED' ? describeError(model, trans) : explainError(model.error, trans);
    }
    this.#setText(this.#error, error);
    this.#error.hidden = !error;
    this.#error.dataset.code = (this.#actionError ?? model.error)?.code ?? '';

    this.#setText(this.#message, this.#busy ? trans.__('Working…') : this.#done);
    this.#message.hidden = !this.#message.textContent;
    this.#setText(this.#backend, state?.backend ? trans.__('Backend: %1', state.backend) : '');

    for (const el of [this.#turnOff, this.#turnOn, this.#applyNext, this.#extend, this.#duration, this.#nextDuration, this.#extendSelect, this.#prompt]) {
      el.disabled = this.#busy;
    }
    this.node.dataset.phase = phase;
    this.node.dataset.backend = state?.backend ?? '';
    this.#tick();
    this.#options.onTraits?.(this.traits());
  }

  /** The countdown, its classes and the bar: once a second, with the toolbar. */
  #tick(): void {
    if (this.isDisposed) {
      return;
    }
    const { model, trans } = this.#options;
    const d = describe(model, trans);
    this.#setText(this.#countdown, d.label);
    const className = ['jp-DevEnv-panel-countdown', ...d.classes].join(' ');
    if (this.#countdown.className !== className) {
      this.#countdown.className = className;
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
    this.#setText(this.#stopAt, stopAt);

    const remaining = model.remaining;
    const total =
      (d.phase === 'counting' || d.phase === 'due') && stop !== null && remaining !== null
        ? runDuration(stop, auto?.duration ?? null, remaining)
        : null;
    this.#barRow.hidden = total === null;
    if (total !== null && remaining !== null) {
      const elapsed = Math.max(0, total - remaining);
      const percent = total > 0 ? Math.min(100, Math.max(0, (elapsed / total) * 100)) : 100;
      const width = `${percent.toFixed(2)}%`;
      if (this.#barFill.style.width !== width) {
        this.#barFill.style.width = width;
      }
      this.#bar.setAttribute('aria-valuenow', String(Math.round(percent)));
      this.#bar.className = ['jp-DevEnv-panel-bar', ...d.classes.filter(c => c.startsWith('jp-DevEnv-level-'))].join(' ');
      this.#setText(this.#elapsed, trans.__('%1 of %2 elapsed', spanText(elapsed, trans), spanText(total, trans)));
    }
  }

  /** Show the rule as the user types; enable Save only for a valid change. */
  #checkDraft(): void {
    const { trans } = this.#options;
    const value = this.#description.value;
    const check = checkDescription(value);
    this.#setText(this.#count, `${check.length}/${DESCRIPTION_MAX}`);
    this.#count.classList.toggle('jp-mod-invalid', check.over > 0);
    this.#count.hidden = this.#description.readOnly;
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
    this.#setText(this.#rule, problems.join(' '));
    this.#rule.hidden = problems.length === 0;
    const changed = value !== this.#savedDescription;
    this.#description.classList.toggle('jp-mod-invalid', !check.valid);
    this.#description.setAttribute('aria-invalid', check.valid ? 'false' : 'true');
    this.#save.disabled = this.#busy || !check.valid || !changed || this.#description.readOnly;
    this.#revert.disabled = this.#busy || !changed;
    this.#revert.hidden = !changed;
  }

  async #saveDescription(): Promise<unknown> {
    const value = this.#description.value;
    if (!checkDescription(value).valid || this.#description.readOnly) {
      this.#checkDraft();
      return null; // Nothing invalid is ever sent.
    }
    return this.#act(() => this.#options.model.updateDescription(value), this.#options.trans.__('Description saved.'));
  }

  /** Run an action: one at a time; its answer is shown as the API gave it, its error in the panel. */
  async #act(run: () => Promise<IState>, done: string): Promise<IState | null> {
    if (this.#busy) {
      return null;
    }
    this.#busy = true;
    this.#actionError = null;
    this.#done = '';
    this.#update();
    try {
      const state = await run();
      this.#done = this.#done || done;
      return state;
    } catch (reason) {
      this.#actionError =
        reason instanceof DevEnvError
          ? reason
          : new DevEnvError(0, 'NETWORK', String((reason as Error)?.message ?? reason));
      return null;
    } finally {
      this.#busy = false;
      this.#update();
    }
  }

  #button(action: string, label: string, run: () => Promise<unknown>, kind = ''): HTMLButtonElement {
    const button = h(
      'button',
      { type: 'button', 'data-action': action, class: `jp-DevEnv-button${kind ? ` jp-DevEnv-button-${kind}` : ''}` },
      label
    );
    button.addEventListener('click', () => void run());
    return button;
  }

  /** A duration `<select>`; once the user picks a value, polls no longer change it. */
  #select(name: string, values: number[], label: (hours: number) => string): HTMLSelectElement {
    const select = h('select', { class: 'jp-DevEnv-select', 'data-field': name });
    for (const v of values) {
      select.append(h('option', { value: String(v) }, label(v / 3600)));
    }
    select.addEventListener('change', () => this.#touched.add(name));
    return select;
  }

  #choose(select: HTMLSelectElement, seconds: number): void {
    if (this.#touched.has(select.dataset.field ?? '')) {
      return;
    }
    const options = Array.from(select.options).map(o => Number(o.value));
    // The nearest offered value at or above (durations are whole hours).
    const value = options.find(v => v >= seconds) ?? options[options.length - 1];
    select.value = String(value);
  }

  #setText(el: HTMLElement, text: string): void {
    if (el.textContent !== text) {
      el.textContent = text;
    }
  }

  static #panels = 0;
  readonly #options: PanelContent.IOptions;
  #uid: string;
  #busy = false;
  #done = '';
  #actionError: DevEnvError | null = null;
  #savedDescription = '';
  #touched = new Set<string>();
  #name: HTMLSpanElement;
  #status: HTMLSpanElement;
  #flavor: HTMLSpanElement;
  #emulated: HTMLSpanElement;
  #countdown: HTMLSpanElement;
  #stopAt: HTMLSpanElement;
  #bar: HTMLDivElement;
  #barFill: HTMLDivElement;
  #barRow: HTMLDivElement;
  #elapsed: HTMLSpanElement;
  #autoStop: HTMLDivElement;
  #onRow: HTMLDivElement;
  #turnOff: HTMLButtonElement;
  #offBlock: HTMLDivElement;
  #duration: HTMLSelectElement;
  #turnOn: HTMLButtonElement;
  #nextBlock: HTMLDivElement;
  #nextDuration: HTMLSelectElement;
  #applyNext: HTMLButtonElement;
  #leaseNote: HTMLParagraphElement;
  #extendRow: HTMLDivElement;
  #extendSelect: HTMLSelectElement;
  #extend: HTMLButtonElement;
  #prompt: HTMLInputElement;
  #promptHint: HTMLSpanElement;
  #description: HTMLTextAreaElement;
  #count: HTMLSpanElement;
  #rule: HTMLSpanElement;
  #save: HTMLButtonElement;
  #revert: HTMLButtonElement;
  #descriptionNote: HTMLParagraphElement;
  #descriptionButtons: HTMLSpanElement;
  #descriptionSection: HTMLDivElement;
  #message: HTMLDivElement;
  #error: HTMLDivElement;
  #backend: HTMLSpanElement;
}

export namespace PanelContent {
  export interface IOptions {
    model: ICountdownModel;
    trans: ITrans;
    /** Called after every update with the traits the kernel side mirrors. */
    onTraits?: (traits: IPanelTraits) => void;
  }
}
