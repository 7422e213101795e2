import { AutoStopActions } from './actions';
import { AutoStopControls } from './autoStopControls';
import { describe, describeError, emulatedBadge, showCountdown } from './describe';
import { checkDescription, DESCRIPTION_MAX, FORBIDDEN_DESCRIPTION_CHARS } from './descriptionRules';
import { button, h, setText } from './dom';
import { formatLocalTime } from './format';
import { DevEnvError } from './handler';
import { ITrans, spanText } from './i18n';
import { ModelFollower } from './follower';
import { explainError } from './panelErrors';
import { ICountdownModel } from './tokens';

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

    // Header: instance name, status, flavor.
    this.#name = h('span', { class: 'jp-DevEnv-panel-name', 'data-field': 'name' });
    this.#status = h('span', { class: 'jp-DevEnv-panel-status', 'data-field': 'status' });
    this.#flavor = h('span', { class: 'jp-DevEnv-panel-flavor', 'data-field': 'flavor' });
    this.#emulated = emulatedBadge(trans);
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

    // Auto-stop controls; each answer or error shows in the panel.
    const actions = new AutoStopActions(options.model, trans, {
      done: message => (this.#done = message),
      failed: error => (this.#actionError = error)
    });
    this.#controls = new AutoStopControls(actions, () => {
      if (this.#controls.busy) {
        this.#actionError = null;
        this.#done = '';
      }
      this.#update();
    });
    this.#promptHint = h('span', { class: 'jp-DevEnv-panel-hint', 'data-field': 'prompt-hint' });
    this.#controls.promptRow.append(this.#promptHint);
    const autoStop = this.#controls.node;
    autoStop.classList.add('jp-DevEnv-panel-section');
    autoStop.dataset.section = 'auto-stop';

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
    this.#save = button('save-description', trans.__('Save'), 'accept');
    this.#save.addEventListener('click', () => this.#saveDescription(actions));
    this.#revert = button('revert-description', trans.__('Revert'));
    this.#revert.addEventListener('click', () => {
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
    const refresh = button('refresh', trans.__('Refresh'), 'link');
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
      autoStop,
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
    const inst = state?.instance;
    const phase = model.phase;

    setText(this.#name, inst?.name || inst?.id || '');
    this.#name.title = inst?.id ? trans.__('Instance id: %1', inst.id) : '';
    setText(this.#status, inst?.status ?? '');
    this.#status.dataset.status = (inst?.status ?? '').toLowerCase();
    this.#status.hidden = !inst?.status;
    setText(this.#flavor, inst?.flavor ?? '');
    this.#flavor.hidden = !inst?.flavor;
    this.#emulated.hidden = !model.config?.emulated;

    this.#controls.update();
    const thresholds = model.settings.reminderThresholds;
    setText(
      this.#promptHint,
      thresholds.length ? trans.__('(at %1 before)', thresholds.map(t => spanText(t, trans)).join(trans.__(', '))) : ''
    );

    // The description: follow the API unless the user is editing it.
    const saved = String(inst?.description ?? '');
    if (this.#description.value === this.#savedDescription || this.#description.value === saved) {
      this.#description.value = saved;
    }
    this.#savedDescription = saved;
    const editable = !!state?.auto_stop.can_toggle;
    this.#description.readOnly = !editable;
    this.#descriptionSection.hidden = !state;
    this.#descriptionNote.hidden = editable || !state;
    this.#descriptionButtons.hidden = !editable;
    this.#checkDraft();

    // Errors: the last action's, else the model's.
    let error = '';
    if (this.#actionError) {
      error = explainError(this.#actionError, trans);
    } else {
      error = describeError(model, trans);
    }
    setText(this.#error, error);
    this.#error.hidden = !error;
    this.#error.dataset.code = (this.#actionError ?? model.error)?.code ?? '';

    setText(this.#message, this.#controls.busy ? trans.__('Working…') : this.#done);
    this.#message.hidden = !this.#message.textContent;
    setText(this.#backend, state?.backend ? trans.__('Backend: %1', state.backend) : '');

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
    showCountdown(this.#countdown, 'jp-DevEnv-panel-countdown', d);
    const auto = model.state?.auto_stop;
    const stop = auto?.stop_timestamp ?? null;
    let stopAt = '';
    switch (d.phase) {
      case 'counting':
        stopAt = trans.__('Stops at %1 (local time).', formatLocalTime(stop as number, trans.languageCode));
        break;
      case 'off':
        stopAt = trans.__('The instance keeps running until it is stopped.');
        break;
      case 'due':
      case 'unknown':
      case 'stopped':
      case 'choose':
        stopAt = d.detail.split('\n')[0]; // What the toolbar's tooltip says first.
        break;
      default:
        stopAt = stop !== null ? trans.__('Last known stop time: %1.', formatLocalTime(stop, trans.languageCode)) : '';
    }
    setText(this.#stopAt, stopAt);

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
      setText(this.#elapsed, trans.__('%1 of %2 elapsed', spanText(elapsed, trans), spanText(total, trans)));
    }
  }

  /** Show the rule as the user types; enable Save only for a valid change. */
  #checkDraft(): void {
    const { trans } = this.#options;
    const value = this.#description.value;
    const check = checkDescription(value);
    setText(this.#count, `${check.length}/${DESCRIPTION_MAX}`);
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
    setText(this.#rule, problems.join(' '));
    this.#rule.hidden = problems.length === 0;
    const changed = value !== this.#savedDescription;
    this.#description.classList.toggle('jp-mod-invalid', !check.valid);
    this.#description.setAttribute('aria-invalid', check.valid ? 'false' : 'true');
    this.#save.disabled = this.#controls.busy || !check.valid || !changed || this.#description.readOnly;
    this.#revert.disabled = this.#controls.busy || !changed;
    this.#revert.hidden = !changed;
  }

  #saveDescription(actions: AutoStopActions): void {
    const value = this.#description.value;
    if (!checkDescription(value).valid || this.#description.readOnly) {
      this.#checkDraft(); // Nothing invalid is ever sent.
      return;
    }
    void this.#controls.run(() => actions.setDescription(value));
  }

  static #panels = 0;
  readonly #options: PanelContent.IOptions;
  #uid: string;
  #done = '';
  #actionError: DevEnvError | null = null;
  #savedDescription = '';
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
  #controls: AutoStopControls;
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
