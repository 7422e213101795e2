import { apiName } from './describe';
import { button, h, setText } from './dom';
import { ITrans } from './i18n';
import { ICountdownModel } from './tokens';

/** The panel's last line: which API the instance is on, and Refresh (read it again now). */
export function panelFooter(
  model: ICountdownModel,
  trans: ITrans
): { node: HTMLDivElement; update(): void } {
  const backend = h('span', { class: 'backend', 'data-field': 'backend' });
  const refresh = button('refresh', trans.__('Refresh'), 'link');
  refresh.addEventListener('click', () => {
    void model.refresh().catch(() => undefined);
  });
  return {
    node: h('div', { class: 'footer' }, backend, refresh),
    update: () => setText(backend, apiName(model.state?.backend, trans))
  };
}
