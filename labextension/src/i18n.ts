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

/** A short translated duration for prose: `1 h`, `1 h 30 min`, `5 min`, `45 s` (zh: `5 分钟`). */
export function spanText(seconds: number, trans: ITrans): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) {
    return m > 0 ? trans.__('%1 h %2 min', String(h), String(m)) : trans.__('%1 h', String(h));
  }
  return m > 0 ? trans.__('%1 min', String(m)) : trans.__('%1 s', String(s));
}
