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

/** Time (with or without seconds) and date formatters per locale: building one is costly, and this runs every tick. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(
  locale: string | undefined,
  kind: string
): Intl.DateTimeFormat {
  const key = `${locale}${kind}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(
      locale,
      kind === 'd'
        ? {}
        : {
            hour: '2-digit',
            minute: '2-digit',
            second: kind === 's' ? '2-digit' : undefined
          }
    );
    formatters.set(key, found);
  }
  return found;
}

/**
 * Local wall-clock time of an instant (ms since the epoch), with the date when
 * not today; without seconds when `short`.
 */
export function formatLocalTime(
  ms: number,
  locale?: string,
  now: number = Date.now(),
  short = false
): string {
  const date = new Date(ms);
  const time = formatter(locale, short ? 'm' : 's').format(date);
  if (new Date(now).toDateString() === date.toDateString()) {
    return time;
  }
  return `${formatter(locale, 'd').format(date)} ${time}`;
}

/** A toast's text, at most `max` characters, cut after a word or a clause (JupyterLab cuts at 140 wherever it falls). */
export function toastText(text: string, max = 140): string {
  if (text.length <= max) {
    return text;
  }
  const head = text.slice(0, max - 1);
  const cut = Math.max(
    head.search(/[\s，。；：、][^\s，。；：、]*$/),
    max - 40
  );
  return `${head.slice(0, cut).trimEnd()}…`;
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
export function crossedThreshold(
  remaining: number,
  thresholds: number[]
): number | null {
  let best: number | null = null;
  for (const t of thresholds) {
    if (remaining <= t && (best === null || t < best)) {
      best = t;
    }
  }
  return best;
}
