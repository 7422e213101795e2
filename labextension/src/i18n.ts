import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { requestAPI } from './handler';

/** The gettext domain of the extension. */
export const DOMAIN = 'jupyter_devenv';

/** The part of a `TranslationBundle` the extension uses. */
export interface ITrans {
  __(msgid: string, ...args: any[]): string;
  /** The UI language, e.g. "en", "zh-CN". */
  readonly languageCode: string;
}

/** JupyterLab locale data: the English message → `[translation]`; `""` holds the metadata. */
type LocaleData = Record<string, unknown>;

/** The page's one fetch of the table (Chinese pages only), and the table once it is there. */
let fetching: Promise<void> | null = null;
let table: LocaleData | null = null;

function isChinese(languageCode: string): boolean {
  return languageCode.toLowerCase().startsWith('zh');
}

function languageOf(translator: ITranslator | null | undefined): string {
  return ((translator ?? nullTranslator).languageCode || 'en').toString();
}

/**
 * `translator.load('jupyter_devenv')`, with the Simplified Chinese table of
 * `GET devenv/api/locale/<language>` when the UI language starts with "zh"
 * (JupyterLab sets `ITranslator.languageCode` from the "Language" setting even
 * when no language pack is installed). The table is fetched once per page, and
 * only there: other languages never load it. On failure the UI stays English.
 */
export async function loadTrans(
  translator: ITranslator | null | undefined
): Promise<ITrans> {
  const languageCode = languageOf(translator);
  if (isChinese(languageCode)) {
    fetching ??= requestAPI<LocaleData>(
      `locale/${encodeURIComponent(languageCode)}`,
      { cache: 'default' }
    ).then(
      data => {
        table = data;
      },
      reason =>
        console.warn(
          'jupyter-devenv: no Chinese translations (reload to try again)',
          reason
        )
    );
    await fetching;
  }
  return transNow(translator);
}

/**
 * The translations as far as the page has them now: the table if a plugin has
 * loaded it, English otherwise. Messages missing from the table fall back to
 * the bundle (and so to English). Placeholders are JupyterLab's `%1`, `%2`.
 */
export function transNow(translator: ITranslator | null | undefined): ITrans {
  const bundle = (translator ?? nullTranslator).load(DOMAIN);
  const languageCode = languageOf(translator);
  const data = isChinese(languageCode) ? table : null;
  return {
    languageCode,
    __(msgid: string, ...args: any[]): string {
      const entry = data?.[msgid];
      return bundle.__(
        Array.isArray(entry) && entry[0] ? String(entry[0]) : msgid,
        ...args
      );
    }
  };
}

/** A short translated duration for prose: `1 h`, `1 h 30 min`, `5 min`, `45 s` (zh: `5 分钟`). */
export function spanText(seconds: number, trans: ITrans): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) {
    return m > 0
      ? trans.__('%1 h %2 min', String(h), String(m))
      : trans.__('%1 h', String(h));
  }
  return m > 0 ? trans.__('%1 min', String(m)) : trans.__('%1 s', String(s));
}
