import { AutoStopRunner } from './actions';
import { around, button, h, setText } from './dom';
import {
  AUTO_STOP_DURATIONS,
  autoStopDuration,
  EXTEND_DURATIONS
} from './durations';
import { formatLocalTime } from './format';
import { LIVE_PHASES } from './tokens';

/**
 * The auto-stop controls the popover and the panel share: turn off; turn on
 * with a duration; the duration for the next start (demanager: no extend while
 * running); extend a lease (notebooks); "remind me"; a note per API. Built once
 * and updated in place, so a poll never closes an open `<select>` and a choice
 * the user made stays; one action at a time, the controls disabled meanwhile.
 */
export class AutoStopControls {
  readonly node: HTMLDivElement;
  /** The "remind me" row, where a view may add a hint. */
  readonly promptRow: HTMLLabelElement;
  /** An action is running. */
  busy = false;

  /** `onChange` redraws the view when an action starts and ends. */
  constructor(actions: AutoStopRunner, onChange: () => void) {
    this.#actions = actions;
    this.#onChange = onChange;
    const { trans } = actions;
    const note = (name: string, text: string) =>
      h('p', { class: 'note', 'data-note': name }, text);
    const row = (name: string, ...children: Node[]) =>
      h('div', { class: 'row', 'data-row': name }, ...children);
    const field = (...children: Array<Node | string>) =>
      h('label', { class: 'field' }, ...children);
    const act = (
      action: string,
      label: string,
      run: () => Promise<unknown>,
      kind = ''
    ) => {
      const b = button(action, label, kind);
      b.addEventListener('click', () => void this.run(run));
      this.#inputs.push(b);
      return b;
    };
    const select = (name: string, values: number[]) => {
      const s = h('select', { class: 'select', 'data-field': name });
      s.append(
        ...values.map(v =>
          h('option', { value: String(v) }, trans.__('%1 h', String(v / 3600)))
        )
      );
      s.addEventListener('change', () => this.#touched.add(s));
      this.#inputs.push(s);
      return s;
    };

    const duration = (this.#duration = select('duration', AUTO_STOP_DURATIONS));
    const next = (this.#next = select('next-duration', AUTO_STOP_DURATIONS));
    const extend = (this.#extend = select('extend', EXTEND_DURATIONS));
    this.#on = row(
      'on',
      h('span', {}, trans.__('Auto-stop is on.')),
      act(
        'turn-off',
        trans.__('Turn off auto-stop'),
        () => actions.turnOff(),
        'warn'
      )
    );
    this.#off = h(
      'div',
      { class: 'block', 'data-row': 'off' },
      h(
        'div',
        { class: 'row' },
        field(trans.__('Duration'), duration),
        act(
          'turn-on',
          trans.__('Turn on auto-stop'),
          () => actions.turnOn(Number(duration.value)),
          'accept'
        )
      ),
      note(
        'turn-on',
        trans.__(
          'Turned on, auto-stop stops the instance after the chosen duration (1–24 h).'
        )
      )
    );
    this.#nextStart = h(
      'div',
      { class: 'block', 'data-row': 'next-start' },
      h(
        'div',
        { class: 'row' },
        field(trans.__('Duration for the next start'), next),
        act('apply-duration', trans.__('Apply'), () =>
          actions.setNextDuration(Number(next.value))
        )
      ),
      note(
        'no-extend',
        trans.__(
          'On this API a running instance keeps its stop time: a new duration (1–24 h) applies from the next start. To keep it running now, turn auto-stop off.'
        )
      )
    );
    this.#lease = note(
      'lease',
      trans.__(
        'On this API auto-stop is a lease, with no on/off: Extend renews it for 1–72 h from now.'
      )
    );
    this.#extendRow = row(
      'extend',
      field(...around(trans, 'Keep running for %1 from now', extend)),
      act(
        'extend',
        trans.__('Extend'),
        () => actions.extend(Number(extend.value)),
        'accept'
      )
    );

    const prompt = (this.#prompt = h('input', {
      type: 'checkbox',
      'data-field': 'prompt'
    }));
    prompt.addEventListener(
      'change',
      () => void this.run(() => actions.setPrompt(prompt.checked))
    );
    this.#inputs.push(prompt);
    this.promptRow = h(
      'label',
      { class: 'row check', 'data-row': 'prompt' },
      prompt,
      h('span', {}, trans.__('Remind me before the stop'))
    );

    this.node = h(
      'div',
      { class: 'controls' },
      this.#on,
      this.#off,
      this.#nextStart,
      this.#lease,
      this.#extendRow,
      this.promptRow
    );
  }

  /** Run one action at a time. */
  async run(work: () => Promise<unknown>): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = true;
    this.#onChange();
    try {
      await work();
    } finally {
      this.busy = false;
      this.#onChange();
    }
  }

  /** Show what the model's state allows; hidden unless the instance runs. */
  update(): void {
    const { state, phase, remaining } = this.#actions.model;
    const auto = state?.auto_stop;
    this.node.hidden = !(auto && LIVE_PHASES.includes(phase));
    if (auto) {
      const toggle = auto.can_toggle;
      this.#on.hidden = !(toggle && auto.enable);
      this.#off.hidden = !(toggle && !auto.enable);
      this.#nextStart.hidden = !(toggle && auto.enable && !auto.can_extend);
      this.#lease.hidden = toggle || !auto.can_extend;
      this.#extendRow.hidden = !auto.can_extend;
      this.promptRow.hidden = auto.kind === 'idle'; // No stop time, nothing to remind of.
      const fallback = autoStopDuration(auto.duration);
      this.#choose(this.#duration, fallback);
      this.#choose(this.#next, fallback);
      // By default the shortest renewal that does not end the lease sooner.
      this.#choose(this.#extend, remaining ?? 0);
      this.tick();
      if (!this.busy) {
        this.#prompt.checked = auto.prompt; // While busy, it shows what the user asked for.
      }
    }
    for (const el of this.#inputs) {
      el.disabled = this.busy;
    }
  }

  /** Each extend choice says the stop time it gives (local time); one that ends sooner is marked. */
  tick(): void {
    const { trans } = this.#actions;
    for (const option of Array.from(this.#extend.options)) {
      const seconds = Number(option.value);
      const [to, earlier] = this.#actions.extendTo(seconds);
      const args = [
        String(seconds / 3600),
        formatLocalTime(to, trans.languageCode, undefined, true)
      ];
      setText(
        option,
        earlier
          ? trans.__('%1 h (until %2, sooner)', ...args)
          : trans.__('%1 h (until %2)', ...args)
      );
      option.toggleAttribute('data-earlier', earlier);
    }
  }

  /** The nearest offered value at or above `seconds`, until the user picks one. */
  #choose(select: HTMLSelectElement, seconds: number): void {
    if (!this.#touched.has(select)) {
      const values = Array.from(select.options, o => Number(o.value));
      select.value = String(
        values.find(v => v >= seconds) ?? values[values.length - 1]
      );
    }
  }

  readonly #actions: AutoStopRunner;
  readonly #onChange: () => void;
  readonly #inputs: Array<
    HTMLButtonElement | HTMLSelectElement | HTMLInputElement
  > = [];
  readonly #touched = new Set<HTMLSelectElement>();
  readonly #duration: HTMLSelectElement;
  readonly #next: HTMLSelectElement;
  readonly #extend: HTMLSelectElement;
  readonly #on: HTMLDivElement;
  readonly #off: HTMLDivElement;
  readonly #nextStart: HTMLDivElement;
  readonly #lease: HTMLParagraphElement;
  readonly #extendRow: HTMLDivElement;
  readonly #prompt: HTMLInputElement;
}
