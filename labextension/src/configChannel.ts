/**
 * Tells this browser's other tabs on the same server that the instance was
 * chosen, so they read `config` again at once (pages elsewhere follow by polling).
 * Without `BroadcastChannel` it does nothing.
 */
export class ConfigChannel {
  constructor(baseUrl: string, onChange: () => void) {
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(`jupyter-devenv:config:${baseUrl}`);
      this.#channel.onmessage = onChange;
    }
  }

  announce(): void {
    this.#channel?.postMessage('chosen');
  }

  dispose(): void {
    this.#channel?.close();
  }

  #channel: BroadcastChannel | null = null;
}
