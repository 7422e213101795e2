import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { AutoStopActions } from './actions';
import { addCommands, runCommands } from './commands';
import { CountdownItem } from './countdownItem';
import { loadTrans } from './i18n';
import { CountdownModel } from './model';
import { LifecycleNotices } from './notices';
import { AutoStopPopover } from './popover';
import { panelPlugin } from './panelView';
import { Reminders } from './reminders';
import { SaveBeforeStop } from './saveBeforeStop';
import { ISettingOverrides } from './settings';
import { ICountdownModel } from './tokens';

export { CommandIDs } from './commands';
export { ICountdownModel } from './tokens';
export type { CountdownPhase, IEffectiveSettings } from './tokens';
export type { IAutoStop, IConfig, IState } from './types';

/** Id of the plugin whose schema holds the settings and the toolbar entry. */
export const PLUGIN_ID = 'jupyter-devenv:plugin';

/** Name of the notebook toolbar item. */
export const TOOLBAR_ITEM = 'devenv-countdown';

/** The page's countdown model, configured from the settings registry. */
const modelPlugin: JupyterFrontEndPlugin<ICountdownModel> = {
  id: PLUGIN_ID,
  description: 'The auto-stop countdown, one per page.',
  autoStart: true,
  provides: ICountdownModel,
  optional: [ISettingRegistry],
  activate: async (
    app: JupyterFrontEnd,
    registry: ISettingRegistry | null
  ): Promise<ICountdownModel> => {
    const model = new CountdownModel({
      serverSettings: app.serviceManager.serverSettings
    });
    if (registry) {
      try {
        const settings = await registry.load(PLUGIN_ID);
        const get = (key: string): any => settings.get(key).composite;
        const read = (): ISettingOverrides => ({
          reminderThresholds: get('reminderThresholds'),
          pollInterval: get('pollInterval'),
          saveBeforeStop: get('saveBeforeStop'),
          notify: get('browserNotifications'),
          title: get('titleCountdown')
        });
        model.setOverrides(read());
        settings.changed.connect(() => model.setOverrides(read()));
      } catch (reason) {
        console.warn(
          'jupyter-devenv: no settings, server defaults used',
          reason
        );
      }
    }
    model.start();
    return model;
  }
};

/** The countdown in every notebook's toolbar, with its popover; the commands, in the palette. */
const toolbarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-devenv:toolbar',
  description: 'The countdown in the notebook toolbar, and the commands.',
  autoStart: true,
  requires: [ICountdownModel, IToolbarWidgetRegistry],
  optional: [ITranslator, INotebookTracker, ICommandPalette],
  activate: async (
    app: JupyterFrontEnd,
    model: ICountdownModel,
    toolbarRegistry: IToolbarWidgetRegistry,
    translator: ITranslator | null,
    tracker: INotebookTracker | null,
    palette: ICommandPalette | null
  ) => {
    const trans = await loadTrans(translator);
    const actions = new AutoStopActions(model, trans);
    const items = new Map<string, CountdownItem>(); // by notebook panel id
    addCommands(app, actions, {
      tracker,
      palette,
      itemOf: id => items.get(id)
    });
    const runner = runCommands(app.commands, actions);
    toolbarRegistry.addFactory<NotebookPanel>(
      'Notebook',
      TOOLBAR_ITEM,
      panel => {
        const item = new CountdownItem(
          model,
          trans,
          () =>
            new AutoStopPopover({
              model,
              trans,
              actions: runner,
              commands: app.commands,
              notebook: panel.id
            })
        );
        items.set(panel.id, item);
        item.disposed.connect(() => {
          if (items.get(panel.id) === item) {
            items.delete(panel.id);
          }
        });
        return item;
      }
    );
    new Reminders(model, trans, runner, app.commands);
  }
};

/** Plain notices when the stop has happened, or the server went away. */
const noticesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-devenv:notices',
  description: 'Notices of the stop.',
  autoStart: true,
  requires: [ICountdownModel],
  optional: [ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    model: ICountdownModel,
    translator: ITranslator | null
  ) => {
    new LifecycleNotices(model, await loadTrans(translator));
  }
};

/** Saves open dirty documents shortly before the stop. */
const savePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-devenv:save-before-stop',
  description: 'Saves documents before the stop.',
  autoStart: true,
  requires: [ICountdownModel],
  optional: [ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    model: ICountdownModel,
    translator: ITranslator | null
  ) => {
    new SaveBeforeStop(app, model, await loadTrans(translator));
  }
};

export default [
  modelPlugin,
  toolbarPlugin,
  noticesPlugin,
  savePlugin,
  panelPlugin
];
