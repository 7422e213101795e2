import { formatHMS, formatLocalTime, urgencyLevel } from './format';
import { h, setText } from './dom';
import { ITrans, spanText } from './i18n';
import { explainError, nextStep, notConfiguredStep } from './errors';
import { CountdownPhase, ICountdownModel, LIVE_PHASES } from './tokens';

/** What a view shows for the model's current state. */
export interface IDescription {
  phase: CountdownPhase;
  /** Short label for the toolbar. */
  label: string;
  /** Longer text: the tooltip, and the popover's status line. */
  detail: string;
  /** CSS modifier classes (`jp-DevEnv-phase-*`, `jp-DevEnv-level-*`, `jp-DevEnv-unconfirmed`). */
  classes: string[];
  /** Whole seconds left, or null. */
  remaining: number | null;
}

/** The API generation, for people. */
export function apiName(backend: string | undefined, trans: ITrans): string {
  return backend === 'demanager'
    ? trans.__('ModelArts notebook (older API)')
    : backend === 'notebooks'
      ? trans.__('ModelArts notebook (current API)')
      : '';
}

/** A short label and a sentence for the instance's status (`IState.phase`). */
export function statusWords(
  phase: string | undefined,
  trans: ITrans
): [string, string] {
  const words: Record<string, [string, string]> = {
    running: [trans.__('running'), ''],
    starting: [
      trans.__('starting…'),
      trans.__('The instance is starting: wait until it runs.')
    ],
    stopping: [
      trans.__('stopping…'),
      trans.__('The instance is stopping: wait until it has stopped.')
    ],
    saving: [
      trans.__('saving…'),
      trans.__('The instance is saving an image: wait until it is done.')
    ],
    stopped: [trans.__('stopped'), trans.__('The instance has stopped.')],
    failed: [
      trans.__('failed'),
      trans.__('The instance has failed: see it in the ModelArts console.')
    ],
    frozen: [
      trans.__('account frozen'),
      trans.__(
        'The account is frozen (in arrears), so the instance cannot run: top it up in the Huawei Cloud console.'
      )
    ],
    deleted: [trans.__('deleted'), trans.__('The instance has been deleted.')]
  };
  return (
    words[phase ?? ''] ?? [
      trans.__('status unknown'),
      trans.__('ModelArts gives a status this page does not know.')
    ]
  );
}

/** What is wrong, with the error's code, and what to do next; for a kept state, since when it is not confirmed. */
export function describeError(model: ICountdownModel, trans: ITrans): string {
  const err = model.error;
  if (model.phase === 'unconfigured') {
    const missing = model.config?.missing?.length
      ? model.config.missing.join(', ')
      : err?.message;
    return `${trans.__('The devenv extension is not configured. Missing: %1.', missing)} ${notConfiguredStep(trans)}`;
  }
  if (!err) {
    return '';
  }
  const age = model.unconfirmedFor;
  const why = err.unreachable ? nextStep(err, trans) : explainError(err, trans);
  return age === null || !model.state
    ? why
    : `${trans.__('Not confirmed for %1: the last read failed.', spanText(age, trans))} ${why}`;
}

/** Derive label, tooltip and classes from the model; every view uses this. */
export function describe(model: ICountdownModel, trans: ITrans): IDescription {
  const phase = model.phase;
  const remaining = model.remaining;
  const state = model.state;
  const classes = [`jp-DevEnv-phase-${phase}`];
  const lines: string[] = [];
  let label: string;
  const stop = state?.auto_stop.stop_timestamp ?? null;
  const locale = trans.languageCode;

  if (phase === 'counting') {
    const r = remaining ?? 0;
    label = formatHMS(r);
    classes.push(
      `jp-DevEnv-level-${urgencyLevel(r, model.settings.reminderThresholds)}`
    );
    lines.push(
      trans.__(
        'The instance will stop at %1 (local time), in %2.',
        formatLocalTime(stop as number, locale),
        spanText(r, trans)
      )
    );
  } else {
    const words: Record<string, [string, string]> = {
      due: [
        trans.__('stopping…'),
        trans.__('The deadline has passed: the instance is stopping.')
      ],
      off: [
        trans.__('auto-stop off'),
        trans.__(
          'Auto-stop is off: the instance keeps running, and billing, until it is stopped.'
        )
      ],
      idle: [
        trans.__('stops when idle'),
        trans.__(
          'ModelArts stops this instance after a while of low use (CPU ≤ 5 %, GPU and NPU ≤ 1 %, network receive ≤ 1.6 kbit/s), not at a set time.'
        )
      ],
      unknown: [
        trans.__('stop time unknown'),
        trans.__('Auto-stop is on, but ModelArts did not give the stop time.')
      ],
      stopped: statusWords(state?.phase, trans),
      'server-missing': [
        trans.__('installed: restart Jupyter'),
        trans.__(
          'jupyter-devenv is installed but its server part is not running yet: restart Jupyter (on ModelArts: stop and start the instance).'
        )
      ],
      choose: [
        trans.__('choose instance'),
        trans.__(
          'No instance is chosen yet: choose the one this notebook runs on.'
        )
      ],
      unconfigured: [trans.__('not configured'), ''],
      unreachable: [trans.__('unreachable'), ''],
      error: [trans.__('error'), ''],
      loading: [trans.__('Loading…'), '']
    };
    let sentence: string;
    [label, sentence] = words[phase];
    if (sentence) {
      lines.push(sentence);
    }
  }
  // A kept state (the last read failed): shown as not confirmed, with why.
  const kept =
    model.unconfirmedFor !== null &&
    (LIVE_PHASES.includes(phase) || phase === 'stopped');
  if (
    kept ||
    phase === 'unconfigured' ||
    phase === 'unreachable' ||
    phase === 'error'
  ) {
    lines.push(describeError(model, trans));
  }
  if (kept) {
    classes.push('jp-DevEnv-unconfirmed');
  }
  if ((phase === 'unreachable' || phase === 'error') && stop !== null) {
    lines.push(
      trans.__('Last known stop time: %1.', formatLocalTime(stop, locale))
    );
  }
  if (state?.free) {
    lines.push(freeWarning(trans));
  }
  const name = state?.instance.name ?? state?.instance.id;
  if (name) {
    lines.push(trans.__('Instance: %1', name));
  }
  if (model.state?.emulated) {
    lines.push(trans.__('Emulated instance (ModelArts emulator)'));
    classes.push('jp-DevEnv-emulated');
  }
  return { phase, label, detail: lines.join('\n'), classes, remaining };
}

/** What a free instance's user must know. */
export function freeWarning(trans: ITrans): string {
  return trans.__(
    'A free instance: it stops after an hour, and is deleted if not started again within 72 h.'
  );
}

/** The "emulated" badge of the popover and the panel, shown while `state.emulated`. */
export function emulatedBadge(trans: ITrans): HTMLSpanElement {
  return h(
    'span',
    {
      class: 'badge',
      title: trans.__('Emulated instance (ModelArts emulator)')
    },
    trans.__('emulated')
  );
}

/**
 * Give a countdown element its own class, the look all countdowns share
 * (`jp-DevEnv-time`) and the description's modifiers; `el` shows `d.label`
 * unless `label` holds it.
 */
export function showCountdown(
  el: HTMLElement,
  own: string,
  d: IDescription,
  label: HTMLElement = el
): void {
  const className = [own, 'jp-DevEnv-time', ...d.classes].join(' ');
  if (el.className !== className) {
    el.className = className;
  }
  setText(label, d.label);
}
