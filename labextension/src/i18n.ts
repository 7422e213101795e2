import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';

import { ZH_CN } from './zh_CN';

/** The gettext domain of the extension. */
export const DOMAIN = 'jupyter_devenv';

/** The part of a `TranslationBundle` the extension uses. */
export interface ITrans {
  __(msgid: string, ...args: any[]): string;
  /** The UI language, e.g. "en", "zh-CN". */
  readonly languageCode: string;
}

/**
 * `translator.load('jupyter_devenv')`, with the bundled Simplified Chinese
 * table used when the UI language starts with "zh" (JupyterLab sets
 * `ITranslator.languageCode` from the "Language" setting even when no
 * language pack is installed). Messages missing from the table fall back to
 * the bundle (and so to English). Placeholders are JupyterLab's `%1`, `%2`.
 */
export function loadTrans(translator: ITranslator | null | undefined): ITrans {
  const t = translator ?? nullTranslator;
  const bundle: TranslationBundle = t.load(DOMAIN);
  const languageCode = (t.languageCode || 'en').toString();
  const table = languageCode.toLowerCase().startsWith('zh') ? ZH_CN : null;
  return {
    languageCode,
    __(msgid: string, ...args: any[]): string {
      const zh = table ? table[msgid] : undefined;
      return bundle.__(zh !== undefined && zh !== '' ? zh : msgid, ...args);
    }
  };
}
