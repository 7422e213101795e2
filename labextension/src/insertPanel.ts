import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

/** The code of the cell that shows the full panel (kernel side). */
export const PANEL_CODE = 'from jupyter_devenv import AutoStopPanel\nAutoStopPanel()';

/** Insert a code cell showing the full panel below the active cell, and run it. */
export async function insertPanel(panel: NotebookPanel): Promise<void> {
  const notebook = panel.content;
  if (!notebook.model) {
    return;
  }
  NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, 'code');
  const cell = notebook.activeCell;
  if (!cell) {
    return;
  }
  cell.model.sharedModel.setSource(PANEL_CODE);
  // A notebook just opened may still be starting its kernel: run once it is there.
  await panel.sessionContext.ready;
  await NotebookActions.run(notebook, panel.sessionContext);
}
