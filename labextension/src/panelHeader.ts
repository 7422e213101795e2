import { emulatedBadge, statusWords } from './describe';
import { h, setText } from './dom';
import { ITrans } from './i18n';
import { ICountdownModel } from './tokens';

/** The panel's first line: the instance's name (its id on hover), status, flavor and the emulated badge. */
export function panelHeader(
  model: ICountdownModel,
  trans: ITrans
): { node: HTMLDivElement; update(): void } {
  const name = h('span', { class: 'name', 'data-field': 'name' });
  const status = h('span', { class: 'status', 'data-field': 'status' });
  const flavor = h('span', { class: 'flavor', 'data-field': 'flavor' });
  const emulated = emulatedBadge(trans);
  return {
    node: h(
      'div',
      { class: 'head' },
      h('span', { class: 'heading' }, trans.__('Auto-stop')),
      name,
      status,
      flavor,
      emulated
    ),
    update() {
      const state = model.state;
      const inst = state?.instance;
      setText(name, inst?.name || inst?.id || '');
      name.title = inst?.id ? trans.__('Instance id: %1', inst.id) : '';
      setText(status, state ? statusWords(state.phase, trans)[0] : '');
      status.title = inst?.status ?? '';
      status.dataset.status = state?.phase ?? '';
      status.hidden = !state;
      setText(flavor, inst?.flavor ?? '');
      flavor.hidden = !inst?.flavor;
      emulated.hidden = !state?.emulated;
    }
  };
}
