import { AutoStopActions } from './actions';
import { AutoStopControls } from './autoStopControls';
import {
  apiName,
  describe,
  describeError,
  emulatedBadge,
  freeWarning,
  showCountdown,
  statusWords
} from './describe';
import {
  checkDescription,
  DESCRIPTION_MAX,
  FORBIDDEN_DESCRIPTION_CHARS
} from './descriptionRules';
import { button, h, setText } from './dom';
import { formatLocalTime } from './format';
import { DevEnvError } from './handler';
import { ITrans, spanText } from './i18n';
import { ModelFollower } from './follower';
import { showHolds } from './holds';
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

/** What a result line was about: when it changes, the line is no longer true. */
function stateKey(model: ICountdownModel): string {
  const s = model.state;
  const a = s?.auto_stop;
  return JSON.stringify([
    s?.phase,
    a?.kind,
    a?.stop_timestamp,
    a?.duration,
    a?.prompt,
    s?.instance.description
  ]);
}

/**
 * The body of the auto-stop panel: instance, countdown with a bar, the holds,
 * auto-stop on/off and duration, extend, "remind me" and the description. It renders
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

    // Header: instance name, status, flavor.
    this.#name = h('span', { class: 'name', 'data-field': 'name' });
    this.#status = h('span', { class: 'status', 'data-field': 'status' });
    this.#flavor = h('span', { class: 'flavor', 'data-field': 'flavor' });
    this.#emulated = emulatedBadge(trans);
    const header = h(
      'div',
      { class: 'head' },
      h('span', { class: 'heading' }, trans.__('Auto-stop')),
      this.#name,
      this.#status,
      this.#flavor,
      this.#emulated
    );

    // Countdown and bar.
    this.#countdown = h('span', { 'data-field': 'countdown', role: 'timer' });
    this.#stopAt = h('span', { class: 'stopat', 'data-field': 'stop-at' });
    this.#barFill = h('div', { class: 'fill' });
    this.#bar = h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-label': trans.__('Time elapsed of the auto-stop duration'),
        'data-field': 'bar'
      },
      this.#barFill
    );
    this.#elapsed = h('span', { class: 'elapsed', 'data-field': 'elapsed' });
    this.#barRow = h('div', { class: 'barrow' }, this.#bar, this.#elapsed);
    const clock = h(
      'div',
      { class: 'clock' },
      h('div', { class: 'timeline' }, this.#countdown, this.#stopAt),
      this.#barRow
    );

    // Auto-stop controls; each answer or error shows in the panel.
    const actions = new AutoStopActions(options.model, trans, {
      done: message => {
        this.#done = message;
        this.#doneKey = stateKey(options.model);
      },
      failed: error => {
        this.#actionError = error;
        this.#doneKey = stateKey(options.model);
      }
    });
    this.#controls = new AutoStopControls(actions, () => {
      if (this.#controls.busy) {
        this.#actionError = null;
        this.#done = '';
      }
      this.#update();
    });
    this.#promptHint = h('span', {
      class: 'hint',
      'data-field': 'prompt-hint'
    });
    this.#controls.promptRow.append(this.#promptHint);
    const autoStop = this.#controls.node;
    autoStop.classList.add('jp-DevEnv-section');
    autoStop.dataset.section = 'auto-stop';

    // Description, checked as it is typed (the rule is read out as it changes).
    const label = trans.__('Description');
    this.#description = h('textarea', {
      class: 'textarea',
      rows: '2',
      spellcheck: 'false',
      'data-field': 'description',
      'aria-label': label
    });
    this.#description.addEventListener('input', () => this.#checkDraft());
    this.#count = h('span', {
      class: 'count',
      'data-field': 'description-count'
    });
    this.#rule = h('span', {
      class: 'rule',
      'data-field': 'description-rule',
      'aria-live': 'polite'
    });
    this.#save = button('save-description', trans.__('Save'), 'accept');
    this.#save.addEventListener('click', () => this.#saveDescription(actions));
    this.#revert = button('revert-description', trans.__('Revert'));
    this.#revert.addEventListener('click', () => {
      this.#description.value = this.#savedDescription;
      this.#checkDraft();
    });
    this.#descriptionNote = h(
      'p',
      { class: 'note', 'data-note': 'description-readonly' },
      trans.__(
        'On this API the description cannot be changed from here: change it in the ModelArts console.'
      )
    );
    this.#descriptionButtons = h(
      'span',
      { class: 'buttons' },
      this.#revert,
      this.#save
    );
    this.#descriptionSection = h(
      'div',
      { class: 'section', 'data-section': 'description' },
      h('span', { class: 'label' }, label),
      this.#description,
      h(
        'div',
        { class: 'descrow' },
        this.#count,
        this.#rule,
        this.#descriptionButtons
      ),
      this.#descriptionNote
    );

    // Messages, errors, footer.
    this.#message = h('div', {
      class: 'message',
      'data-field': 'message',
      'aria-live': 'polite'
    });
    this.#error = h('div', {
      class: 'error',
      'data-field': 'error',
      role: 'alert'
    });
    this.#backend = h('span', { class: 'backend', 'data-field': 'backend' });
    const refresh = button('refresh', trans.__('Refresh'), 'link');
    refresh.addEventListener('click', () => {
      void this.#options.model.refresh().catch(() => undefined);
    });
    const footer = h('div', { class: 'footer' }, this.#backend, refresh);
    this.#free = h(
      'p',
      { class: 'note', 'data-note': 'free' },
      freeWarning(trans)
    );

    this.node = h(
      'div',
      {
        class: 'panel',
        role: 'group',
        'aria-label': trans.__('Auto-stop panel')
      },
      header,
      clock,
      this.#holds,
      this.#free,
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
    const {
      id = '',
      name = '',
      status = '',
      flavor = '',
      description = ''
    } = state.instance;
    const {
      enable,
      prompt,
      duration,
      stop_timestamp,
      remain_time,
      can_extend
    } = state.auto_stop;
    return {
      instance_id: id,
      name,
      status,
      flavor,
      backend: state.backend,
      description,
      enable,
      prompt,
      duration,
      stop_timestamp,
      remain_time: model.remaining ?? remain_time,
      can_extend,
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

    // A result line or an action's error stays while what it was about is still so.
    if (this.#doneKey !== stateKey(model)) {
      this.#done = '';
      this.#actionError = null;
    }
    setText(this.#name, inst?.name || inst?.id || '');
    this.#name.title = inst?.id ? trans.__('Instance id: %1', inst.id) : '';
    setText(this.#status, state ? statusWords(state.phase, trans)[0] : '');
    this.#status.title = inst?.status ?? '';
    this.#status.dataset.status = state?.phase ?? '';
    this.#status.hidden = !state;
    setText(this.#flavor, inst?.flavor ?? '');
    this.#flavor.hidden = !inst?.flavor;
    this.#emulated.hidden = !model.state?.emulated;

    this.#controls.update();
    const thresholds = model.settings.reminderThresholds;
    setText(
      this.#promptHint,
      thresholds.length
        ? trans.__(
            '(at %1 before)',
            thresholds.map(t => spanText(t, trans)).join(trans.__(', '))
          )
        : ''
    );

    // The description: follow the API unless the user is editing it.
    const saved = String(inst?.description ?? '');
    if (
      this.#description.value === this.#savedDescription ||
      this.#description.value === saved
    ) {
      this.#description.value = saved;
    }
    this.#savedDescription = saved;
    const editable = !!state?.auto_stop.can_toggle;
    this.#description.readOnly = !editable;
    this.#descriptionSection.hidden = !state;
    this.#descriptionNote.hidden = editable || !state;
    this.#descriptionButtons.hidden = !editable;
    this.#checkDraft();

    this.#showMessage();
    setText(this.#backend, apiName(state?.backend, trans));

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
    this.#controls.tick();
    const stop = model.state?.auto_stop.stop_timestamp ?? null;
    let stopAt = '';
    switch (d.phase) {
      case 'counting':
        stopAt = trans.__(
          'Stops at %1 (local time).',
          formatLocalTime(stop as number, trans.languageCode)
        );
        break;
      case 'unconfigured':
      case 'error':
      case 'unreachable':
      case 'loading':
        stopAt =
          stop !== null
            ? trans.__(
                'Last known stop time: %1.',
                formatLocalTime(stop, trans.languageCode)
              )
            : '';
        break;
      default:
        stopAt = d.detail.split('\n')[0]; // What the toolbar's tooltip says first.
    }
    setText(this.#stopAt, stopAt);
    this.#free.hidden = !model.state?.free;
    showHolds(this.#holds, model, trans);

    // Errors: the last action's, else the model's (a kept state: since when it is not confirmed).
    const err = this.#actionError;
    const error = err ? explainError(err, trans) : describeError(model, trans);
    setText(this.#error, error);
    this.#error.hidden = !error;
    this.#error.dataset.code = (err ?? model.error)?.code ?? '';

    // Elapsed of the run's length, only when that length is known (see `runTotal`).
    const remaining = model.remaining;
    const run = model.runTotal;
    const total =
      (d.phase === 'counting' || d.phase === 'due') &&
      run !== null &&
      remaining !== null
        ? Math.max(run, remaining)
        : null;
    this.#barRow.hidden = total === null;
    if (total !== null && remaining !== null) {
      const elapsed = Math.max(0, total - remaining);
      const percent =
        total > 0 ? Math.min(100, Math.max(0, (elapsed / total) * 100)) : 100;
      const width = `${percent.toFixed(2)}%`;
      if (this.#barFill.style.width !== width) {
        this.#barFill.style.width = width;
      }
      this.#bar.setAttribute('aria-valuenow', String(Math.round(percent)));
      this.#bar.className = [
        'jp-DevEnv-bar',
        ...d.classes.filter(c => c.startsWith('jp-DevEnv-level-'))
      ].join(' ');
      setText(
        this.#elapsed,
        trans.__(
          '%1 of %2 elapsed',
          spanText(elapsed, trans),
          spanText(total, trans)
        )
      );
    }
  }

  #showMessage(): void {
    setText(
      this.#message,
      this.#controls.busy ? this.#options.trans.__('Working…') : this.#done
    );
    this.#message.hidden = !this.#message.textContent;
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
        trans.__(
          'Too long by %1: at most %2 characters are allowed.',
          String(check.over),
          String(DESCRIPTION_MAX)
        )
      );
    }
    if (problems.length) {
      this.#done = ''; // "Description saved." is no longer what the box shows.
      this.#showMessage();
    }
    setText(this.#rule, problems.join(' '));
    this.#rule.hidden = problems.length === 0;
    const changed = value !== this.#savedDescription;
    this.#description.classList.toggle('jp-mod-invalid', !check.valid);
    this.#description.setAttribute(
      'aria-invalid',
      check.valid ? 'false' : 'true'
    );
    this.#save.disabled =
      this.#controls.busy ||
      !check.valid ||
      !changed ||
      this.#description.readOnly;
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

  readonly #options: PanelContent.IOptions;
  #done = '';
  #doneKey = '';
  #free: HTMLParagraphElement;
  #holds = h('div', { class: 'holds', 'data-section': 'holds' });
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
