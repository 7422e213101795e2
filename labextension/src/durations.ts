/** Durations offered for auto-stop, in seconds: every whole hour the API allows (1–24 h). */
export const AUTO_STOP_DURATIONS = Array.from(
  { length: 24 },
  (_, i) => (i + 1) * 3600
);

/** Durations offered to extend a lease, in seconds (the API allows 1–72 h from now). */
export const EXTEND_DURATIONS = [1, 2, 3, 4, 6, 8, 12, 24, 48, 72].map(
  n => n * 3600
);

/** Clamp a duration into the auto-stop range, defaulting to one hour. */
export function autoStopDuration(value: number | null | undefined): number {
  if (typeof value !== 'number' || !isFinite(value)) {
    return 3600;
  }
  return Math.min(86400, Math.max(3600, Math.round(value)));
}
