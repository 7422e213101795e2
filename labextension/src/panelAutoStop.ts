import { AutoStopActions } from './actions';
import { AutoStopControls } from './autoStopControls';
import { h, setText } from './dom';
import { spanText } from './i18n';

/**
 * The controls the popover shares, as a panel section, with the reminder
 * times beside "Remind me"; `onChange` redraws the panel when an action starts
 * and ends, `update` on each answer of the model and then.
 */
export function autoStopSection(
  actions: AutoStopActions,
  onChange: () => void
): { controls: AutoStopControls; update(): void } {
  const { model, trans } = actions;
  const controls = new AutoStopControls(actions, onChange);
  const hint = h('span', { class: 'hint', 'data-field': 'prompt-hint' });
  controls.promptRow.append(hint);
  controls.node.classList.add('jp-DevEnv-section');
  controls.node.dataset.section = 'auto-stop';
  return {
    controls,
    update() {
      const thresholds = model.settings.reminderThresholds;
      controls.update();
      setText(
        hint,
        thresholds.length
          ? trans.__(
              '(at %1 before)',
              thresholds.map(t => spanText(t, trans)).join(trans.__(', '))
            )
          : ''
      );
    }
  };
}
