import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ITranslator } from '@jupyterlab/translation';
import {
  DOMWidgetModel,
  DOMWidgetView,
  IJupyterWidgetRegistry
} from '@jupyter-widgets/base';

import { ITrans, loadTrans } from './i18n';
import { PanelContent } from './panelContent';
import { IPanelTraits } from './panelTraits';
import { ICountdownModel } from './tokens';

/** The widget module name the kernel side (`jupyter_devenv.widget.panel`) asks for. */
export const MODULE_NAME = 'jupyter-devenv';

/** This package's version; the kernel asks for `^0.1.0`. Keep in step with package.json. */
export const MODULE_VERSION = '0.1.0';

/** Traits the kernel side mirrors; `remain_time` alone changing is not worth a message. */
const QUIET_TRAITS = new Set(['remain_time']);

/**
 * The model of `jupyter_devenv.AutoStopPanel`. Its traits mirror the last state
 * the page knows; the truth is the page's countdown model (the REST API).
 */
export class AutoStopPanelModel extends DOMWidgetModel {
  // The traits themselves come with the kernel's state: only the names are defaults.
  defaults(): any {
    return {
      ...super.defaults(),
      _model_name: 'AutoStopPanelModel',
      _model_module: MODULE_NAME,
      _model_module_version: `^${MODULE_VERSION}`,
      _view_name: 'AutoStopPanelView',
      _view_module: MODULE_NAME,
      _view_module_version: `^${MODULE_VERSION}`
    };
  }
}

/**
 * The view class for the page's `countdown`: the widget manager makes the
 * views, so what they render from is closed over, not passed. A view renders
 * from `countdown` (never from the kernel), acts through the REST API, and
 * copies what it learns into the widget's traits (`set` + `save_changes`) so
 * the kernel side stays in sync when the kernel is free to read them.
 */
function panelViewClass(
  countdown: ICountdownModel,
  trans: ITrans,
  commands: JupyterFrontEnd['commands']
): typeof DOMWidgetView {
  return class AutoStopPanelView extends DOMWidgetView {
    render(): void {
      super.render();
      this.el.classList.add('jp-DevEnv-panel-host');
      this.#content = new PanelContent({
        model: countdown,
        trans,
        commands,
        onTraits: traits => this.#sync(traits)
      });
      this.el.append(this.#content.node);
    }

    /**
     * A change that came from the kernel (one of its methods ran): read the
     * instance again, so every view on the page shows what the API now says.
     */
    update(options?: any): void {
      if (options?.devenvView) {
        return;
      }
      const changed = Object.keys(this.model.changedAttributes() || {});
      if (
        changed.some(
          key =>
            !key.startsWith('_') &&
            key !== 'layout' &&
            key !== 'tabbable' &&
            key !== 'tooltip'
        )
      ) {
        void countdown.refresh().catch(() => undefined);
      }
    }

    remove(): any {
      this.#content?.dispose();
      this.#content = null;
      return super.remove();
    }

    #sync(traits: IPanelTraits): void {
      const diff: Record<string, unknown> = {};
      let worth = false;
      for (const [key, value] of Object.entries(traits)) {
        if (value === undefined || this.model.get(key) === value) {
          continue;
        }
        diff[key] = value;
        worth = worth || !QUIET_TRAITS.has(key);
      }
      if (!worth) {
        return;
      }
      this.model.set(diff, { devenvView: true });
      if (this.model.comm_live) {
        this.model.save_changes();
      }
    }

    #content: PanelContent | null = null;
  };
}

/** Registers the panel's model and view with the ipywidgets manager. */
export const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-devenv:panel',
  description: 'The AutoStopPanel widget view.',
  autoStart: true,
  requires: [ICountdownModel],
  optional: [IJupyterWidgetRegistry, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    model: ICountdownModel,
    registry: IJupyterWidgetRegistry | null,
    translator: ITranslator | null
  ) => {
    if (!registry) {
      console.warn(
        'jupyter-devenv: no ipywidgets manager: AutoStopPanel shows text'
      );
      return;
    }
    const trans = await loadTrans(translator);
    registry.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: {
        AutoStopPanelModel,
        AutoStopPanelView: panelViewClass(model, trans, app.commands)
      }
    });
  }
};
