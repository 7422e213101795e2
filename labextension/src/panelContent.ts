import type { JupyterFrontEnd } from '@jupyterlab/application';

import { AutoStopActions } from './actions';
import { freeWarning } from './describe';
import { h } from './dom';
import { ITrans } from './i18n';
import { ModelFollower } from './follower';
import { CommandIDs } from './commands';
import { showHolds } from './holds';
import { autoStopSection } from './panelAutoStop';
import { panelClock } from './panelClock';
import { descriptionEditor } from './panelDescription';
import { panelFooter } from './panelFooter';
import { panelHeader } from './panelHeader';
import { IPanelOutcome, panelOutcome } from './panelOutcome';
import { IPanelTraits, panelTraits } from './panelTraits';
import { ICountdownModel } from './tokens';

/**
 * The body of the auto-stop panel, composed of its views (`panel*.ts`): the
 * header, the clock, the holds, the errors, the auto-stop controls, the
 * description, the last action's result and the footer. They render from the
 * page's one countdown model, so the panel shows the same second as the
 * toolbar, and act through the REST API (never the kernel), so it works while
 * the kernel runs a long cell. Each view is built once and updated in place (a
 * poll never closes an open `<select>` or loses what is typed): `update` on
 * each answer of the model, `tick` once a second.
 */
export class PanelContent extends ModelFollower {
  readonly node: HTMLDivElement;

  constructor(options: PanelContent.IOptions) {
    super();
    this.#options = options;
    const { model, trans } = options;
    this.#header = panelHeader(model, trans);
    this.#clock = panelClock(model, trans);
    this.#free = h(
      'p',
      { class: 'note', 'data-note': 'free' },
      freeWarning(trans)
    );
    this.#outcome = panelOutcome(
      model,
      trans,
      () => this.#autoStop.controls.busy
    );
    const actions = new AutoStopActions(model, trans, this.#outcome);
    this.#autoStop = autoStopSection(actions, () => {
      if (this.#autoStop.controls.busy) {
        this.#outcome.forget();
      }
      this.#update();
    });
    this.#description = descriptionEditor(
      actions,
      this.#autoStop.controls,
      () => this.#outcome.retract()
    );
    this.#footer = panelFooter(model, trans);
    this.node = h(
      'div',
      {
        class: 'panel',
        role: 'group',
        'aria-label': trans.__('Auto-stop panel')
      },
      this.#header.node,
      this.#clock.node,
      this.#holds,
      this.#free,
      this.#outcome.error,
      this.#autoStop.controls.node,
      this.#description.node,
      this.#outcome.message,
      this.#footer.node
    );
    model.changed.connect(this.#update, this);
    model.ticked.connect(this.#tick, this);
    this.#update();
  }

  dispose(): void {
    if (!this.isDisposed) {
      super.dispose();
      this.node.remove();
    }
  }

  /** On each answer (or error) of the model, and when an action starts or ends. */
  #update(): void {
    if (this.isDisposed) {
      return;
    }
    const { model } = this.#options;
    this.#outcome.update();
    this.#header.update();
    this.#autoStop.update();
    this.#description.update();
    this.#footer.update();
    this.node.dataset.phase = model.phase;
    this.node.dataset.backend = model.state?.backend ?? '';
    this.#tick();
    this.#options.onTraits?.(panelTraits(model, this.#outcome.actionError));
  }

  /** What changes with time: once a second, with the toolbar. */
  #tick(): void {
    if (this.isDisposed) {
      return;
    }
    const { model, trans } = this.#options;
    this.#clock.tick();
    this.#autoStop.controls.tick();
    this.#free.hidden = !model.state?.free;
    showHolds(this.#holds, model, trans, id =>
      this.#options.commands.execute(CommandIDs.releaseHold, { id })
    );
    this.#outcome.tick();
  }

  readonly #options: PanelContent.IOptions;
  readonly #header: ReturnType<typeof panelHeader>;
  readonly #clock: ReturnType<typeof panelClock>;
  readonly #holds = h('div', { class: 'holds', 'data-section': 'holds' });
  readonly #free: HTMLParagraphElement;
  readonly #outcome: IPanelOutcome;
  readonly #autoStop: ReturnType<typeof autoStopSection>;
  readonly #description: ReturnType<typeof descriptionEditor>;
  readonly #footer: ReturnType<typeof panelFooter>;
}

export namespace PanelContent {
  export interface IOptions {
    model: ICountdownModel;
    trans: ITrans;
    /** The page's commands: Release runs `devenv:release-hold`. */
    commands: JupyterFrontEnd['commands'];
    /** Called after every update with the traits the kernel side mirrors. */
    onTraits?: (traits: IPanelTraits) => void;
  }
}
