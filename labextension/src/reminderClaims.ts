/**
 * One reminder per threshold and deadline across the browser's tabs of this
 * server (Notebook 7 opens each notebook in its own tab): the first visible
 * tab to reach a threshold claims it in `localStorage`; the others skip it.
 * Without `localStorage` (private modes, tests) every tab reminds on its own.
 */
const PREFIX = 'jupyter-devenv:reminded:';

/** Claim `threshold` of the deadline `stop` (ms) of `instance`; false when another tab already did. */
export function claimReminder(
  instance: string,
  stop: number,
  threshold: number,
  now: number = Date.now()
): boolean {
  let storage: Storage;
  try {
    storage = window.localStorage;
  } catch {
    return true;
  }
  const key = `${PREFIX}${instance}@${stop}:${threshold}`;
  try {
    if (storage.getItem(key) !== null) {
      return false;
    }
    storage.setItem(key, String(now));
    prune(storage, now);
  } catch {
    return true;
  }
  return true;
}

/** Forget claims of deadlines a day past. */
function prune(storage: Storage, now: number): void {
  const stale: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    const match = key?.startsWith(PREFIX) ? /@(\d+):\d+$/.exec(key) : null;
    if (key && match && Number(match[1]) < now - 86_400_000) {
      stale.push(key);
    }
  }
  stale.forEach(key => storage.removeItem(key));
}
