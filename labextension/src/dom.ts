/** Tiny DOM helpers, so views stay declarative without a framework. */

export type Attrs = Record<string, string | boolean | undefined>;

/** Create an element with attributes and children; each of its classes gets the prefix `jp-DevEnv-`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | null | undefined | false>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) {
      continue;
    }
    if (key === 'class') {
      el.className = (value as string).replace(/\S+/g, 'jp-DevEnv-$&');
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.append(child);
  }
  return el;
}

/** A `<button>` for `data-action`; `kind` is `accept`, `warn` or `link`. */
export function button(
  action: string,
  label: string,
  kind = ''
): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      'data-action': action,
      class: `button${kind ? ` button-${kind}` : ''}`
    },
    label
  );
}

/** Set `el`'s text, leaving the DOM alone when it is already shown. */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) {
    el.textContent = text;
  }
}

/**
 * A translated message in which `%1` stands for an element (a `<select>`, say):
 * the text before it, the element, the text after, so each language puts the
 * element where its grammar wants it.
 */
export function around(
  trans: { __(msgid: string, ...args: any[]): string },
  msgid: string,
  el: Node
): Array<Node | string> {
  const mark = '\u0001';
  const [before, after = ''] = trans.__(msgid, mark).split(mark);
  return [before, el, after];
}
