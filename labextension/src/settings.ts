import { IConfig } from './types';
import { IEffectiveSettings } from './tokens';

/** Used when neither the user's settings nor the server's config say. */
export const DEFAULTS: IEffectiveSettings = {
  reminderThresholds: [900, 300, 60],
  pollInterval: 30,
  saveBeforeStop: 60,
  notify: true,
  title: true
};

/** User overrides from the settings registry; null means "the server's value". */
export interface ISettingOverrides {
  reminderThresholds?: number[] | null;
  pollInterval?: number | null;
  saveBeforeStop?: number | null;
  notify?: boolean;
  title?: boolean;
}

function positiveSorted(values: unknown): number[] | null {
  if (!Array.isArray(values)) {
    return null;
  }
  const good = values.filter(
    v => typeof v === 'number' && isFinite(v) && v > 0
  ) as number[];
  if (good.length === 0 && values.length > 0) {
    return null; // Nothing usable: fall back. (An explicit [] means "no reminders".)
  }
  return Array.from(new Set(good.map(v => Math.round(v)))).sort(
    (a, b) => b - a
  );
}

function finiteAtLeast(value: unknown, min: number): number | null {
  return typeof value === 'number' && isFinite(value) && value >= min
    ? value
    : null;
}

/** User settings where set, else the server's config, else `DEFAULTS`. */
export function effectiveSettings(
  overrides: ISettingOverrides,
  config: IConfig | null
): IEffectiveSettings {
  return {
    reminderThresholds:
      positiveSorted(overrides.reminderThresholds) ??
      positiveSorted(config?.reminder_thresholds) ??
      DEFAULTS.reminderThresholds,
    pollInterval:
      finiteAtLeast(overrides.pollInterval, 2) ??
      finiteAtLeast(config?.poll_interval, 2) ??
      DEFAULTS.pollInterval,
    saveBeforeStop:
      finiteAtLeast(overrides.saveBeforeStop, 0) ??
      finiteAtLeast(config?.save_before_stop, 0) ??
      DEFAULTS.saveBeforeStop,
    notify: overrides.notify ?? true,
    title: overrides.title ?? true
  };
}
