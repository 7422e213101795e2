import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';

import { AutoStopRunner } from './actions';
import { CommandIDs } from './commands';
import { ModelFollower } from './follower';
import { claimReminder } from './reminderClaims';
import {
  crossedThreshold,
  formatHMS,
  formatLocalTime,
  toastText
} from './format';
import { canAskToNotify } from './holds';
import { ITrans, spanText } from './i18n';
import { ICountdownModel } from './tokens';

/** Seconds the Extend action of a reminder adds (counted from now, as the API does). */
export const REMINDER_EXTEND = 3600;

/**
 * Reminders before the stop, as JupyterLab notifications that stay until
 * dismissed. A threshold fires once per deadline on this page (one model per
 * page, however many notebooks are open) and, through `claimReminder`, in one
 * tab only; a new deadline re-arms them; none fire while `prompt` is false.
 *
 * A hidden tab waits 2 s past a threshold (a visible tab claims it first), then
 * reminds too, also through the browser's Notification API when permitted
 * (asked from the popover or the first reminder); a click on it focuses the tab
 * and opens the popover. In the last 15 minutes the tab title starts with the
 * time left. The settings `browserNotifications` and `titleCountdown` turn them off.
 */
export class Reminders extends ModelFollower {
  constructor(
    model: ICountdownModel,
    trans: ITrans,
    actions: AutoStopRunner,
    commands: JupyterFrontEnd['commands']
  ) {
    super();
    this.#model = model;
    this.#trans = trans;
    this.#actions = actions;
    this.#commands = commands;
    model.ticked.connect(this.#check, this);
    model.changed.connect(this.#check, this);
  }

  #check(): void {
    this.#title();
    const model = this.#model;
    const state = model.state;
    const auto = state?.auto_stop;
    const stop = auto?.stop_timestamp ?? null;
    const live = model.phase === 'counting' && auto?.enable && stop !== null;
    const key = live ? `${state?.instance.id ?? ''}@${stop}` : null;
    if (this.#shown && (this.#shownKey !== key || !auto?.prompt)) {
      // The deadline moved, auto-stop went off or reminders were turned off.
      Notification.dismiss(this.#shown);
      this.#shown = null;
    }
    if (!live || !auto?.prompt || key === null) {
      return;
    }
    const remaining = model.remaining ?? 0;
    const threshold = crossedThreshold(
      remaining,
      model.settings.reminderThresholds
    );
    if (threshold === null) {
      return;
    }
    let fired = this.#fired.get(key);
    if (!fired) {
      fired = new Set();
      this.#fired.set(key, fired);
    }
    if (
      fired.has(threshold) ||
      (document.hidden && remaining > threshold - 2)
    ) {
      return; // Done, or out of sight: a visible tab may remind first.
    }
    // This one and every larger threshold (already passed) are done for this deadline.
    for (const t of model.settings.reminderThresholds) {
      if (t >= threshold) {
        fired.add(t);
      }
    }
    if (!claimReminder(state?.instance.id ?? '', stop as number, threshold)) {
      return; // Another tab of this server has shown it.
    }
    this.#notify(
      remaining,
      stop as number,
      auto.can_extend,
      auto.can_toggle,
      key
    );
  }

  #notify(
    remaining: number,
    stop: number,
    canExtend: boolean,
    canToggle: boolean,
    key: string
  ): void {
    const trans = this.#trans;
    const name =
      this.#model.state?.instance.name ?? this.#model.state?.instance.id ?? '';
    // "in 15 min" until 14:00 is left: minutes rounded up, as people read a countdown.
    const shown = remaining > 60 ? Math.ceil(remaining / 60) * 60 : remaining;
    const message = trans.__(
      'The instance %1 stops in %2 (at %3).',
      name,
      spanText(shown, trans),
      formatLocalTime(stop, trans.languageCode)
    );
    const actions: Notification.IAction[] = [];
    if (canExtend) {
      actions.push({
        label: trans.__('Extend %1', spanText(REMINDER_EXTEND, trans)),
        displayType: 'accent',
        callback: () => void this.#actions.extend(REMINDER_EXTEND)
      });
    }
    if (canToggle) {
      actions.push({
        label: trans.__('Turn off auto-stop'),
        displayType: canExtend ? 'default' : 'accent',
        callback: () => void this.#actions.turnOff()
      });
    }
    actions.push({
      label: trans.__("Don't remind again"),
      displayType: 'link',
      callback: () => void this.#actions.setPrompt(false)
    });
    if (canAskToNotify(this.#model)) {
      actions.push({
        label: trans.__('Enable browser notifications'),
        displayType: 'link',
        callback: () => void window.Notification.requestPermission()
      });
    } else if (
      document.hidden &&
      this.#model.settings.notify &&
      window.Notification?.permission === 'granted'
    ) {
      const note = new window.Notification(trans.__('Auto-stop countdown'), {
        body: message,
        tag: key
      });
      note.onclick = () => {
        window.focus();
        note.close();
        if (!document.querySelector('.jp-DevEnv-popover')) {
          void this.#commands.execute(CommandIDs.togglePopover);
        }
      };
    }
    if (this.#shown) {
      Notification.dismiss(this.#shown);
    }
    this.#shown = Notification.warning(toastText(message), {
      autoClose: false,
      actions,
      data: { devenv: 'reminder' }
    });
    this.#shownKey = key;
  }

  /** The time left before the page's own title in the last 15 minutes; the title alone otherwise. */
  #title(): void {
    const model = this.#model;
    const left = model.remaining ?? 901;
    const title = document.title;
    if (title !== this.#titleSet) {
      this.#titleBase = title; // Set by JupyterLab (another document, say).
    }
    this.#titleSet =
      model.settings.title && model.phase === 'counting' && left <= 900
        ? `${formatHMS(left)} · ${this.#titleBase}`
        : this.#titleBase;
    if (title !== this.#titleSet) {
      document.title = this.#titleSet;
    }
  }

  readonly #model: ICountdownModel;
  readonly #trans: ITrans;
  readonly #actions: AutoStopRunner;
  readonly #commands: JupyterFrontEnd['commands'];
  #fired = new Map<string, Set<number>>();
  #shown: string | null = null;
  #shownKey: string | null = null;
  #titleSet = '';
  #titleBase = '';
}
