import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { NotebookPanel } from '@jupyterlab/notebook';

/** The code of the cell that shows the full panel (kernel side). */
export const PANEL_CODE =
  'from jupyter_devenv import AutoStopPanel\nAutoStopPanel()';

/**
 * Insert a code cell showing the full panel below the active cell of `panel`,
 * and run it, through the notebook's own commands (they act on the current
 * notebook: the one whose toolbar was just clicked, made current first).
 */
export async function insertPanel(
  app: JupyterFrontEnd,
  panel: NotebookPanel
): Promise<void> {
  app.shell.activateById(panel.id);
  const run = (command: string) => app.commands.execute(`notebook:${command}`);
  await run('insert-cell-below');
  await run('change-cell-to-code');
  panel.content.activeCell?.model.sharedModel.setSource(PANEL_CODE);
  // A notebook just opened may still be starting its kernel: run once it is there.
  await panel.sessionContext.ready;
  await run('run-cell');
}
