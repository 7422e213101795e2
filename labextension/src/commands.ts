import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ReadonlyJSONObject } from '@lumino/coreutils';

import { AutoStopActions, AutoStopRunner } from './actions';
import { autoStopDuration } from './durations';
import { asDevEnvError, explainError } from './errors';
import { spanText } from './i18n';
import { insertPanel } from './insertPanel';
import { IState } from './types';

/** The extension's commands: the palette, the shortcut, the popover's buttons and the reminders run these. */
export namespace CommandIDs {
  /** Open or close the current notebook's popover (keyboard shortcut in the settings schema). */
  export const togglePopover = 'devenv:toggle-popover';
  export const turnOff = 'devenv:turn-off';
  /** `{duration}` seconds; without it, the instance's own duration. */
  export const turnOn = 'devenv:turn-on';
  /** `{duration}` seconds, for the next start (the demanager API while running). */
  export const setNextDuration = 'devenv:set-next-duration';
  /** `{seconds}` from now (the notebooks API's lease). */
  export const extend = 'devenv:extend';
  /** `{on}`: remind before the stop, or not. */
  export const setReminders = 'devenv:set-reminders';
  /** `{notebook}`: the id of the notebook panel; without it, the current one. */
  export const insertPanel = 'devenv:insert-panel';
  export const refresh = 'devenv:refresh';
  /** `{id}`: end a hold now (its Release button in the popover and the panel). */
  export const releaseHold = 'devenv:release-hold';
}

/** The palette's section. */
export const PALETTE_CATEGORY = 'ModelArts auto-stop';

/** The extends the palette offers, in seconds. */
const PALETTE_EXTENDS = [1, 2, 4, 8].map(n => n * 3600);

/** What the commands reach beyond the model. */
export interface ICommandsContext {
  tracker: INotebookTracker | null;
  palette: ICommandPalette | null;
  /** The countdown item in the toolbar of the notebook panel with this id, if it has one. */
  itemOf: (notebook: string) => { togglePopover(): void } | undefined;
}

/**
 * Register the commands (those that change the instance report through
 * `actions`, as notifications) and put them in the palette.
 */
export function addCommands(
  app: JupyterFrontEnd,
  actions: AutoStopActions,
  { tracker, palette, itemOf }: ICommandsContext
): void {
  const { commands } = app;
  const { model, trans } = actions;
  const currentItem = () =>
    tracker?.currentWidget ? itemOf(tracker.currentWidget.id) : undefined;
  commands.addCommand(CommandIDs.togglePopover, {
    label: trans.__('Show or hide the auto-stop controls'),
    isEnabled: () => !!currentItem(),
    execute: () => currentItem()?.togglePopover()
  });
  const auto = () => model.state?.auto_stop;
  const seconds = (value: unknown, fallback: number) =>
    typeof value === 'number' && value > 0 ? value : fallback;
  commands.addCommand(CommandIDs.turnOff, {
    label: trans.__('Turn off auto-stop'),
    isEnabled: () => !!(auto()?.can_toggle && auto()?.enable),
    execute: () => actions.turnOff()
  });
  commands.addCommand(CommandIDs.turnOn, {
    label: args =>
      args.duration
        ? trans.__(
            'Turn on auto-stop for %1',
            spanText(Number(args.duration), trans)
          )
        : trans.__('Turn on auto-stop'),
    isEnabled: () => !!(auto()?.can_toggle && !auto()?.enable),
    execute: args =>
      actions.turnOn(seconds(args.duration, autoStopDuration(auto()?.duration)))
  });
  commands.addCommand(CommandIDs.setNextDuration, {
    label: args =>
      trans.__(
        'Auto-stop after %1 from the next start',
        spanText(seconds(args.duration, 3600), trans)
      ),
    isEnabled: () => !!auto()?.can_toggle,
    execute: args =>
      actions.setNextDuration(
        seconds(args.duration, autoStopDuration(auto()?.duration))
      )
  });
  commands.addCommand(CommandIDs.extend, {
    label: args =>
      trans.__(
        'Extend auto-stop by %1',
        spanText(seconds(args.seconds, 3600), trans)
      ),
    isEnabled: () => !!auto()?.can_extend,
    execute: args => actions.extend(seconds(args.seconds, 3600))
  });
  commands.addCommand(CommandIDs.setReminders, {
    label: args =>
      args.on === false
        ? trans.__('Turn off auto-stop reminders')
        : trans.__('Turn on auto-stop reminders'),
    isEnabled: args =>
      !!auto() &&
      auto()?.kind !== 'idle' &&
      auto()?.prompt !== (args.on !== false),
    execute: args => actions.setPrompt(args.on !== false)
  });
  commands.addCommand(CommandIDs.insertPanel, {
    label: trans.__('Insert the auto-stop panel into the notebook'),
    isEnabled: () => !!tracker?.currentWidget,
    execute: args => {
      const panel =
        tracker?.find(p => p.id === args.notebook) ?? tracker?.currentWidget;
      return panel ? insertPanel(app, panel) : undefined;
    }
  });
  commands.addCommand(CommandIDs.releaseHold, {
    label: trans.__('Release'),
    execute: args =>
      model.releaseHold(String(args.id)).catch((e: unknown) =>
        Notification.error(explainError(asDevEnvError(e), trans), {
          autoClose: false
        })
      )
  });
  commands.addCommand(CommandIDs.refresh, {
    label: trans.__('Refresh the auto-stop countdown'),
    execute: () => model.refresh().catch(() => undefined)
  });
  // What the commands allow follows the instance (menus and the palette grey out the rest).
  model.changed.connect(() => {
    for (const id of Object.values(CommandIDs)) {
      commands.notifyCommandChanged(id);
    }
  });
  const items: Array<[string, ReadonlyJSONObject]> = [
    [CommandIDs.togglePopover, {}],
    [CommandIDs.turnOff, {}],
    [CommandIDs.turnOn, {}],
    ...PALETTE_EXTENDS.map(
      s => [CommandIDs.extend, { seconds: s }] as [string, ReadonlyJSONObject]
    ),
    [CommandIDs.setReminders, { on: false }],
    [CommandIDs.setReminders, { on: true }],
    [CommandIDs.insertPanel, {}],
    [CommandIDs.refresh, {}]
  ];
  for (const [command, args] of items) {
    palette?.addItem({ command, args, category: PALETTE_CATEGORY });
  }
}

/**
 * The actions as commands: what the popover's buttons and the reminders call,
 * so a click, a reminder, the palette and a menu all run one thing.
 */
export function runCommands(
  commands: JupyterFrontEnd['commands'],
  actions: AutoStopActions
): AutoStopRunner {
  const run = (id: string, args: ReadonlyJSONObject = {}) =>
    commands.execute(id, args) as Promise<IState | null>;
  return {
    model: actions.model,
    trans: actions.trans,
    extendTo: s => actions.extendTo(s),
    turnOff: () => run(CommandIDs.turnOff),
    turnOn: duration => run(CommandIDs.turnOn, { duration }),
    setNextDuration: duration => run(CommandIDs.setNextDuration, { duration }),
    extend: s => run(CommandIDs.extend, { seconds: s }),
    setPrompt: on => run(CommandIDs.setReminders, { on })
  };
}
