import { button, h } from './dom';
import { ITrans, spanText } from './i18n';
import { ICountdownModel } from './tokens';
import { IHold } from './types';

/**
 * The holds keeping the instance running (reason, notebook, time to its end,
 * Release, the server's note) and what the end of the last one restores; for
 * the popover and the panel, whose Release runs `releaseHold` (the command).
 * Rebuilt only when what it shows changes (the time left is in whole minutes),
 * so a click is not lost to a tick.
 */
export function showHolds(
  el: HTMLElement,
  model: ICountdownModel,
  trans: ITrans,
  releaseHold: (id: string) => Promise<unknown>
): void {
  const list = model.holds;
  const rows = (list?.holds ?? []).map(hold => ({
    hold,
    left: spanText(
      Math.ceil(Math.max(0, hold.ends_at - model.serverNow()) / 60_000) * 60,
      trans
    )
  }));
  const key = JSON.stringify([rows, list?.restore]);
  if (el.dataset.key === key) {
    return;
  }
  el.dataset.key = key;
  el.replaceChildren(
    ...rows.map(({ hold, left }) => {
      const release = button('release', trans.__('Release'), 'link');
      release.onclick = () => {
        release.disabled = true;
        void releaseHold(hold.id);
      };
      return h(
        'div',
        { class: 'row hold', 'data-hold': hold.id },
        h('b', {}, hold.reason),
        `${holderText(hold, trans)} · ${trans.__('%1 left', left)}`,
        release,
        hold.note && h('p', { class: 'note' }, hold.note)
      );
    }),
    list?.restore?.note
      ? h('p', { class: 'note', 'data-note': 'restore' }, list.restore.note)
      : ''
  );
  el.hidden = !el.childElementCount;
}

/** Who holds: the notebook of the kernel that asked, else whether it was the user or a kernel. */
function holderText(hold: IHold, trans: ITrans): string {
  if (hold.notebook) {
    return hold.notebook;
  }
  return hold.holder === 'user' ? trans.__('set by you') : trans.__('a kernel');
}

/** The reminders can also reach a hidden tab: ask for the browser's permission (on a click, never on load). */
export function canAskToNotify(model: ICountdownModel): boolean {
  return model.settings.notify && window.Notification?.permission === 'default';
}
