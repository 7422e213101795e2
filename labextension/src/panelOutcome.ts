import { IActionReport } from './actions';
import { describeError } from './describe';
import { h, setText } from './dom';
import { DevEnvError, explainError } from './errors';
import { ITrans } from './i18n';
import { ICountdownModel } from './tokens';

/** What the panel's actions came to, and what is wrong: see `panelOutcome`. */
export interface IPanelOutcome extends IActionReport {
  /** "Working…" or the last action's result. */
  readonly message: HTMLDivElement;
  /** The last action's error, else the model's. */
  readonly error: HTMLDivElement;
  /** The last action's error while it stays, else null. */
  readonly actionError: DevEnvError | null;
  /** A new action starts: the last one's lines go. */
  forget(): void;
  /** The result line no longer says what is shown (the description was edited). */
  retract(): void;
  /** On each answer of the model. */
  update(): void;
  /** Once a second: the model's error tells how long the state is not confirmed. */
  tick(): void;
}

/** What a result line is about: when it changes, the line is no longer true. */
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
 * Where the panel's actions report (instead of toasts). A result or an
 * action's error stays while what it was about is still so; `busy` tells
 * whether an action is running.
 */
export function panelOutcome(
  model: ICountdownModel,
  trans: ITrans,
  busy: () => boolean
): IPanelOutcome {
  const message = h('div', {
    class: 'message',
    'data-field': 'message',
    'aria-live': 'polite'
  });
  const error = h('div', {
    class: 'error',
    'data-field': 'error',
    role: 'alert'
  });
  /** The last action's result line. */
  let result = '';
  let actionError: DevEnvError | null = null;
  let key = '';
  const forget = () => {
    result = '';
    actionError = null;
  };
  const showMessage = () => {
    setText(message, busy() ? trans.__('Working…') : result);
    message.hidden = !message.textContent;
  };
  return {
    message,
    error,
    get actionError() {
      return actionError;
    },
    done(text) {
      result = text;
      key = stateKey(model);
    },
    failed(err) {
      actionError = err;
      key = stateKey(model);
    },
    forget,
    retract() {
      result = '';
      showMessage();
    },
    update() {
      if (key !== stateKey(model)) {
        forget();
      }
      showMessage();
    },
    tick() {
      const text = actionError
        ? explainError(actionError, trans)
        : describeError(model, trans);
      setText(error, text);
      error.hidden = !text;
      error.dataset.code = (actionError ?? model.error)?.code ?? '';
    }
  };
}
