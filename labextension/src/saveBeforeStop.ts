import { Notification } from '@jupyterlab/apputils';
import { JupyterFrontEnd } from '@jupyterlab/application';
import { DocumentRegistry } from '@jupyterlab/docregistry';

import { ModelFollower } from './follower';
import { toastText } from './format';
import { ITrans, spanText } from './i18n';
import { ICountdownModel } from './tokens';

/** Shell areas where documents can be open. */
const AREAS = ['main', 'down', 'left', 'right'] as const;

/**
 * At the configured lead before the stop, save every open dirty document of
 * this page and say so: the instance going down must not cost unsaved work.
 * Once per deadline.
 */
export class SaveBeforeStop extends ModelFollower {
  constructor(app: JupyterFrontEnd, model: ICountdownModel, trans: ITrans) {
    super();
    this.#app = app;
    this.#model = model;
    this.#trans = trans;
    model.ticked.connect(this.#check, this);
  }

  /** The open documents' contexts, one per path. */
  contexts(): DocumentRegistry.Context[] {
    const found = new Map<string, DocumentRegistry.Context>();
    for (const area of AREAS) {
      let widgets: IterableIterator<any>;
      try {
        widgets = this.#app.shell.widgets(area);
      } catch {
        continue;
      }
      for (const widget of widgets) {
        // A document's widget (`DocumentWidget`, `NotebookPanel`) holds its context.
        const context: DocumentRegistry.Context | undefined = widget.context;
        if (context && !found.has(context.path)) {
          found.set(context.path, context);
        }
      }
    }
    return Array.from(found.values());
  }

  /** Save every dirty, writable open document; answers the saved paths. */
  async saveAll(): Promise<string[]> {
    const saved: string[] = [];
    for (const context of this.contexts()) {
      const model = context.model;
      if (
        !model.dirty ||
        model.readOnly ||
        context.contentsModel?.writable === false
      ) {
        continue;
      }
      try {
        await context.save();
        saved.push(context.path);
      } catch (reason) {
        Notification.error(
          toastText(
            this.#trans.__(
              'Could not save %1 before the stop: %2',
              context.path,
              String((reason as Error)?.message ?? reason)
            )
          ),
          { autoClose: false }
        );
      }
    }
    return saved;
  }

  #check(): void {
    const model = this.#model;
    const lead = model.settings.saveBeforeStop;
    const stop = model.state?.auto_stop.stop_timestamp ?? null;
    const phase = model.phase;
    if (
      lead <= 0 ||
      stop === null ||
      (phase !== 'counting' && phase !== 'due')
    ) {
      return;
    }
    const remaining = model.remaining ?? 0;
    if (remaining > lead || this.#done.has(stop)) {
      return;
    }
    this.#done.add(stop);
    void this.saveAll().then(saved => {
      const trans = this.#trans;
      if (saved.length > 0) {
        Notification.info(
          toastText(
            trans.__(
              'Saved %1 document(s) before the instance stops: %2',
              saved.length,
              saved.join(', ')
            )
          ),
          {
            autoClose: 15000,
            data: { devenv: 'saved' }
          }
        );
      } else {
        Notification.info(
          trans.__(
            'The instance stops in %1: all open documents were already saved.',
            spanText(remaining, trans)
          ),
          { autoClose: 8000, data: { devenv: 'saved' } }
        );
      }
    });
  }

  readonly #app: JupyterFrontEnd;
  readonly #model: ICountdownModel;
  readonly #trans: ITrans;
  #done = new Set<number>();
}
