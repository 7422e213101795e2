import { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';

/**
 * Base of what follows the page's countdown model (views, reminders, notices):
 * subclasses connect to the model's signals with `this` as the receiver, and
 * `dispose` disconnects them all.
 */
export abstract class ModelFollower implements IDisposable {
  get isDisposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    if (this.#disposed) {
      return;
    }
    this.#disposed = true;
    Signal.clearData(this);
  }

  #disposed = false;
}
