import { formatHMS, formatLocalTime, urgencyLevel } from './format';
import { h, setText } from './dom';
import { ITrans, spanText } from './i18n';
import { DevEnvError } from './handler';
import { explainError, nextStep } from './panelErrors';
import { CountdownPhase, ICountdownModel } from './tokens';

/** What a view shows for the model's current state. */
export interface IDescription {
  phase: CountdownPhase;
  /** Short label for the toolbar. */
  label: string;
  /** Longer text: the tooltip, and the popover's status line. */
  detail: string;
  /** CSS modifier classes (`jp-DevEnv-phase-*`, `jp-DevEnv-level-*`). */
  classes: string[];
  /** Whole seconds left, or null. */
  remaining: number | null;
}

/** What is wrong, with the error's code, and what to do next. */
export function describeError(model: ICountdownModel, trans: ITrans): string {
  const err = model.error;
  if (model.phase === 'unconfigured') {
    const missing = model.config?.missing?.length ? model.config.missing.join(', ') : err?.message;
    const step = nextStep(new DevEnvError(503, 'DEVENV.NOT_CONFIGURED', ''), trans);
    return `${trans.__('The devenv extension is not configured. Missing: %1.', missing)} ${step}`;
  }
  if (!err) {
    return '';
  }
  return err.unreachable ? nextStep(err, trans) : explainError(err, trans);
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

  switch (phase) {
    case 'counting': {
      const r = remaining ?? 0;
      label = formatHMS(r);
      classes.push(`jp-DevEnv-level-${urgencyLevel(r, model.settings.reminderThresholds)}`);
      lines.push(
        trans.__(
          'The instance will stop at %1 (local time), in %2.',
          formatLocalTime(stop as number, locale),
          spanText(r, trans)
        )
      );
      break;
    }
    case 'due':
      label = trans.__('stopping…');
      lines.push(trans.__('The deadline has passed: the instance is stopping.'));
      break;
    case 'off':
      label = trans.__('auto-stop off');
      lines.push(trans.__('Auto-stop is off.'));
      break;
    case 'unknown':
      label = trans.__('stop time unknown');
      lines.push(trans.__('Auto-stop is on but the API gives no stop time.'));
      break;
    case 'stopped':
      label = trans.__('stopped');
      lines.push(trans.__('The instance is %1. It is no longer running.', state?.instance.status ?? '?'));
      break;
    case 'server-missing':
      label = trans.__('installed: restart Jupyter');
      lines.push(
        trans.__(
          'jupyter-devenv is installed but its server part is not running yet: restart Jupyter (on ModelArts: stop and start the instance).'
        )
      );
      break;
    case 'choose':
      label = trans.__('choose instance');
      lines.push(trans.__('No instance is chosen yet: choose the one this notebook runs on.'));
      break;
    case 'unconfigured':
      label = trans.__('not configured');
      lines.push(describeError(model, trans));
      break;
    case 'unreachable':
      label = trans.__('unreachable');
      lines.push(describeError(model, trans));
      break;
    case 'error':
      label = trans.__('error');
      lines.push(describeError(model, trans));
      break;
    default:
      label = trans.__('Loading…');
  }
  if ((phase === 'unreachable' || phase === 'error') && stop !== null) {
    lines.push(trans.__('Last known stop time: %1.', formatLocalTime(stop, locale)));
  }
  const name = state?.instance.name ?? state?.instance.id;
  if (name) {
    lines.push(trans.__('Instance: %1', name));
  }
  if (model.config?.emulated) {
    lines.push(trans.__('Emulated instance (ModelArts emulator)'));
    classes.push('jp-DevEnv-emulated');
  }
  return { phase, label, detail: lines.join('\n'), classes, remaining };
}

/** The "emulated" badge of the popover and the panel, shown while `config.emulated`. */
export function emulatedBadge(trans: ITrans): HTMLSpanElement {
  return h('span', { class: 'jp-DevEnv-badge', title: trans.__('Emulated instance (ModelArts emulator)') }, trans.__('emulated'));
}

/**
 * Give a countdown element its own class, the look all countdowns share
 * (`jp-DevEnv-time`) and the description's modifiers; `el` shows `d.label`
 * unless `label` holds it.
 */
export function showCountdown(el: HTMLElement, own: string, d: IDescription, label: HTMLElement = el): void {
  const className = [own, 'jp-DevEnv-time', ...d.classes].join(' ');
  if (el.className !== className) {
    el.className = className;
  }
  setText(label, d.label);
}
