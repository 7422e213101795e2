import { h, setText } from './dom';
import { DevEnvError, explainError } from './errors';
import { ITrans, spanText } from './i18n';
import { ICountdownModel } from './tokens';
import { IInstanceList } from './types';

/**
 * The project's instances (`GET instances`, RUNNING first), each a button with
 * its name, status, flavour and time left; clicking one makes it this server's
 * instance (`PUT config`), which every open page then follows.
 */
export class InstancePicker {
  readonly node = h('div', {
    class: 'block',
    'data-field': 'instances',
    hidden: true
  });

  /** `onChosen` runs once the server has taken the choice. */
  constructor(model: ICountdownModel, trans: ITrans, onChosen: () => void) {
    this.#model = model;
    this.#trans = trans;
    this.#onChosen = onChosen;
    this.node.append(this.#list, this.#note, this.#status);
  }

  /** Read the list again and show it. */
  async load(): Promise<void> {
    this.#list.replaceChildren();
    this.#say(this.#trans.__('Loading instances…'));
    try {
      this.#show(await this.#model.instances());
    } catch (reason) {
      this.#say(reason as DevEnvError);
    }
  }

  #show(list: IInstanceList): void {
    const trans = this.#trans;
    const current = this.#model.config?.instance_id;
    const items = list.instances;
    this.#list.replaceChildren(
      ...items.map(i => {
        const left =
          i.stop_timestamp === null
            ? i.remain_time
            : (i.stop_timestamp - list.server_time) / 1000;
        const facts = [
          i.status,
          i.flavor,
          i.status === 'RUNNING' &&
            left !== null &&
            trans.__('%1 left', spanText(left, trans))
        ];
        const b = h(
          'button',
          {
            type: 'button',
            class: 'button block instance',
            'data-instance': i.id,
            title: i.id,
            'aria-current': i.id === current && 'true'
          },
          h('b', {}, i.name || i.id),
          h('span', {}, facts.filter(Boolean).join(' · '))
        );
        b.addEventListener('click', () => void this.#choose(i.id));
        return b;
      })
    );
    setText(this.#note, list.partial ?? '');
    this.#note.hidden = !list.partial;
    this.#say(
      items.length
        ? ''
        : trans.__(
            'No instances in this project: create one in the ModelArts console.'
          )
    );
  }

  async #choose(id: string): Promise<void> {
    const buttons = this.#list.querySelectorAll('button');
    buttons.forEach(b => (b.disabled = true));
    this.#say(this.#trans.__('Working…'));
    try {
      await this.#model.chooseInstance(id);
      this.#say('');
      this.#onChosen();
    } catch (reason) {
      this.#say(reason as DevEnvError);
    }
    buttons.forEach(b => (b.disabled = false));
  }

  /** A status line, or an error (from the REST API) explained with what to do next. */
  #say(what: string | DevEnvError): void {
    const err = what instanceof DevEnvError;
    setText(this.#status, err ? explainError(what, this.#trans) : what);
    this.#status.className = err ? 'jp-DevEnv-error' : 'jp-DevEnv-note';
    this.#status.hidden = !this.#status.textContent;
  }

  readonly #model: ICountdownModel;
  readonly #trans: ITrans;
  readonly #onChosen: () => void;
  readonly #list = h('div', { class: 'block instances' });
  readonly #note = h('p', { class: 'note', 'data-note': 'partial' });
  readonly #status = h('p', {});
}
