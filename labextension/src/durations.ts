/** Choices offered for a duration, in seconds (the API allows 3600..86400 for auto-stop). */
export const AUTO_STOP_DURATIONS = [3600, 7200, 14400, 28800, 43200, 86400];

/** Choices offered to extend (the API allows 3600..259200). */
export const EXTEND_DURATIONS = [3600, 7200, 14400, 28800, 86400, 259200];

/** Clamp a duration into the auto-stop range, defaulting to one hour. */
export function autoStopDuration(value: number | null | undefined): number {
  if (typeof value !== 'number' || !isFinite(value)) {
    return 3600;
  }
  return Math.min(86400, Math.max(3600, Math.round(value)));
}
