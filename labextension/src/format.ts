/**
 * Pure formatting and classification helpers (no DOM, no Jupyter imports).
 */

/** `H:MM:SS` for a number of seconds (negative counts as 0). */
export function formatHMS(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** One time and one date formatter per locale: building an `Intl` formatter is costly, and this runs every tick. */
const formatters = new Map<string, { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat }>();

function formattersFor(locale?: string): { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat } {
  const key = locale ?? '';
  let found = formatters.get(key);
  if (!found) {
    found = {
      time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
      date: new Intl.DateTimeFormat(locale)
    };
    formatters.set(key, found);
  }
  return found;
}

/** Local wall-clock time of an instant (ms since the epoch), with the date when not today. */
export function formatLocalTime(ms: number, locale?: string, now: number = Date.now()): string {
  const date = new Date(ms);
  const { time, date: day } = formattersFor(locale);
  if (new Date(now).toDateString() === date.toDateString()) {
    return time.format(date);
  }
  return `${day.format(date)} ${time.format(date)}`;
}

/**
 * The urgency level of a countdown: how many thresholds (descending list) have
 * been passed. 0 = none yet; `thresholds.length` = the last one.
 */
export function urgencyLevel(remaining: number, thresholds: number[]): number {
  let level = 0;
  for (const t of thresholds) {
    if (remaining <= t) {
      level++;
    }
  }
  return level;
}

/** The threshold to remind at now: the smallest one crossed, or null. */
export function crossedThreshold(remaining: number, thresholds: number[]): number | null {
  let best: number | null = null;
  for (const t of thresholds) {
    if (remaining <= t && (best === null || t < best)) {
      best = t;
    }
  }
  return best;
}
