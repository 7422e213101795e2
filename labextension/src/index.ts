import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { AutoStopActions } from './actions';
import { CountdownItem } from './countdownItem';
import { loadTrans } from './i18n';
import { insertPanel } from './insertPanel';
import { CountdownModel } from './model';
import { LifecycleNotices } from './notices';
import { AutoStopPopover } from './popover';
import { panelPlugin } from './panelView';
import { Reminders } from './reminders';
import { SaveBeforeStop } from './saveBeforeStop';
import { ISettingOverrides } from './settings';
import { ICountdownModel } from './tokens';

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

/** The countdown in every notebook's toolbar, with its popover. */
const toolbarPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-devenv:toolbar',
  description: 'The countdown in the notebook toolbar.',
  autoStart: true,
  requires: [ICountdownModel, IToolbarWidgetRegistry],
  optional: [ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    model: ICountdownModel,
    toolbarRegistry: IToolbarWidgetRegistry,
    translator: ITranslator | null
  ) => {
    const trans = await loadTrans(translator);
    const actions = new AutoStopActions(model, trans);
    let open: { popover: AutoStopPopover; item: CountdownItem } | null = null;
    const toggle = (item: CountdownItem, panel: NotebookPanel) => {
      const same = open?.item === item;
      if (open && !open.popover.isDisposed) {
        open.popover.dispose();
      }
      open = null;
      if (same) {
        return;
      }
      const popover = new AutoStopPopover({
        model,
        trans,
        actions,
        insertPanel: () => insertPanel(app, panel)
      });
      popover.disposed.connect(() => {
        item.expanded = false;
        if (open?.popover === popover) {
          open = null;
        }
      });
      open = { popover, item };
      item.expanded = true;
      popover.open(item.anchor);
    };
    toolbarRegistry.addFactory<NotebookPanel>(
      'Notebook',
      TOOLBAR_ITEM,
      panel => {
        const item: CountdownItem = new CountdownItem(model, trans, () =>
          toggle(item, panel)
        );
        return item;
      }
    );
  }
};

/** Reminders before the stop, and plain notices when it has happened. */
const remindersPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-devenv:reminders',
  description: 'Reminders before the stop.',
  autoStart: true,
  requires: [ICountdownModel],
  optional: [ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    model: ICountdownModel,
    translator: ITranslator | null
  ) => {
    const trans = await loadTrans(translator);
    new Reminders(model, trans, new AutoStopActions(model, trans));
    new LifecycleNotices(model, trans);
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
  remindersPlugin,
  savePlugin,
  panelPlugin
];
