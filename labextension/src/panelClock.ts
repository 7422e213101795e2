import { describe, IDescription, showCountdown } from './describe';
import { h, setText } from './dom';
import { formatLocalTime } from './format';
import { ITrans, spanText } from './i18n';
import { ICountdownModel } from './tokens';

/**
 * The panel's clock: the countdown (the same second as the toolbar's), when
 * the instance stops, and a bar of how much of the run has elapsed; `tick`
 * once a second.
 */
export function panelClock(
  model: ICountdownModel,
  trans: ITrans
): { node: HTMLDivElement; tick(): void } {
  const countdown = h('span', { 'data-field': 'countdown', role: 'timer' });
  const stopAt = h('span', { class: 'stopat', 'data-field': 'stop-at' });
  const fill = h('div', { class: 'fill' });
  const bar = h(
    'div',
    {
      class: 'bar',
      role: 'progressbar',
      'aria-valuemin': '0',
      'aria-valuemax': '100',
      'aria-label': trans.__('Time elapsed of the auto-stop duration'),
      'data-field': 'bar'
    },
    fill
  );
  const elapsed = h('span', { class: 'elapsed', 'data-field': 'elapsed' });
  const barRow = h('div', { class: 'barrow' }, bar, elapsed);

  /** Elapsed of the run's length, only when that length is known (see `runTotal`). */
  const showBar = (d: IDescription) => {
    const { remaining, runTotal: run } = model;
    const total =
      (d.phase === 'counting' || d.phase === 'due') &&
      run !== null &&
      remaining !== null
        ? Math.max(run, remaining)
        : null;
    barRow.hidden = total === null;
    if (total === null || remaining === null) {
      return;
    }
    const past = Math.max(0, total - remaining);
    const percent =
      total > 0 ? Math.min(100, Math.max(0, (past / total) * 100)) : 100;
    const width = `${percent.toFixed(2)}%`;
    if (fill.style.width !== width) {
      fill.style.width = width;
    }
    bar.setAttribute('aria-valuenow', String(Math.round(percent)));
    bar.className = [
      'jp-DevEnv-bar',
      ...d.classes.filter(c => c.startsWith('jp-DevEnv-level-'))
    ].join(' ');
    setText(
      elapsed,
      trans.__(
        '%1 of %2 elapsed',
        spanText(past, trans),
        spanText(total, trans)
      )
    );
  };

  return {
    node: h(
      'div',
      { class: 'clock' },
      h('div', { class: 'timeline' }, countdown, stopAt),
      barRow
    ),
    tick() {
      const d = describe(model, trans);
      showCountdown(countdown, 'jp-DevEnv-panel-countdown', d);
      setText(stopAt, stopText(model, trans, d));
      showBar(d);
    }
  };
}

/** The stop time, the last one known, or what the toolbar's tooltip says first. */
function stopText(
  model: ICountdownModel,
  trans: ITrans,
  d: IDescription
): string {
  const stop = model.state?.auto_stop.stop_timestamp ?? null;
  switch (d.phase) {
    case 'counting':
      return trans.__(
        'Stops at %1 (local time).',
        formatLocalTime(stop as number, trans.languageCode)
      );
    case 'unconfigured':
    case 'error':
    case 'unreachable':
    case 'loading':
      return stop !== null
        ? trans.__(
            'Last known stop time: %1.',
            formatLocalTime(stop, trans.languageCode)
          )
        : '';
    default:
      return d.detail.split('\n')[0];
  }
}
