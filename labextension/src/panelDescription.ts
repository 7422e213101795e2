import { AutoStopActions } from './actions';
import { AutoStopControls } from './autoStopControls';
import {
  checkDescription,
  DESCRIPTION_MAX,
  FORBIDDEN_DESCRIPTION_CHARS
} from './descriptionRules';
import { button, h, setText } from './dom';

/**
 * The instance's description: follows the API unless the user is editing it,
 * checked as it is typed (the rule is read out as it changes), saved through
 * `controls` (one action at a time) and only when valid; read-only, with a
 * note, on an API that cannot change it. `onInvalid` when a draft breaks the
 * rules. `update` on each answer of the model and when an action starts or ends.
 */
export function descriptionEditor(
  actions: AutoStopActions,
  controls: AutoStopControls,
  onInvalid: () => void
): { node: HTMLDivElement; update(): void } {
  const { model, trans } = actions;
  const label = trans.__('Description');
  const box = h('textarea', {
    class: 'textarea',
    rows: '2',
    spellcheck: 'false',
    'data-field': 'description',
    'aria-label': label
  });
  const count = h('span', {
    class: 'count',
    'data-field': 'description-count'
  });
  const rule = h('span', {
    class: 'rule',
    'data-field': 'description-rule',
    'aria-live': 'polite'
  });
  const save = button('save-description', trans.__('Save'), 'accept');
  const revert = button('revert-description', trans.__('Revert'));
  const buttons = h('span', { class: 'buttons' }, revert, save);
  const readOnlyNote = h(
    'p',
    { class: 'note', 'data-note': 'description-readonly' },
    trans.__(
      'On this API the description cannot be changed from here: change it in the ModelArts console.'
    )
  );
  const node = h(
    'div',
    { class: 'section', 'data-section': 'description' },
    h('span', { class: 'label' }, label),
    box,
    h('div', { class: 'descrow' }, count, rule, buttons),
    readOnlyNote
  );
  /** The description the API last gave. */
  let saved = '';

  /** Show the rule as the user types; enable Save only for a valid change. */
  const check = () => {
    const value = box.value;
    const result = checkDescription(value);
    setText(count, `${result.length}/${DESCRIPTION_MAX}`);
    count.classList.toggle('jp-mod-invalid', result.over > 0);
    count.hidden = box.readOnly;
    const problems: string[] = [];
    if (result.forbidden.length) {
      problems.push(
        trans.__(
          'Not allowed: %1. A description cannot contain %2.',
          result.forbidden.join(' '),
          FORBIDDEN_DESCRIPTION_CHARS.join(' ')
        )
      );
    }
    if (result.over > 0) {
      problems.push(
        trans.__(
          'Too long by %1: at most %2 characters are allowed.',
          String(result.over),
          String(DESCRIPTION_MAX)
        )
      );
    }
    if (problems.length) {
      onInvalid();
    }
    setText(rule, problems.join(' '));
    rule.hidden = problems.length === 0;
    const changed = value !== saved;
    const busy = controls.busy;
    box.classList.toggle('jp-mod-invalid', !result.valid);
    box.setAttribute('aria-invalid', result.valid ? 'false' : 'true');
    save.disabled = busy || !result.valid || !changed || box.readOnly;
    revert.disabled = busy || !changed;
    revert.hidden = !changed;
  };

  box.addEventListener('input', check);
  revert.addEventListener('click', () => {
    box.value = saved;
    check();
  });
  save.addEventListener('click', () => {
    const value = box.value;
    if (!checkDescription(value).valid || box.readOnly) {
      check(); // Nothing invalid is ever sent.
      return;
    }
    void controls.run(() => actions.setDescription(value));
  });

  return {
    node,
    update() {
      const state = model.state;
      const latest = String(state?.instance.description ?? '');
      if (box.value === saved || box.value === latest) {
        box.value = latest;
      }
      saved = latest;
      const editable = !!state?.auto_stop.can_toggle;
      box.readOnly = !editable;
      node.hidden = !state;
      readOnlyNote.hidden = editable || !state;
      buttons.hidden = !editable;
      check();
    }
  };
}
