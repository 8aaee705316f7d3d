// The plugin's translations, registered with Mattermost (registerTranslations). English is the source:
// every string of the webapp is a react-intl message whose default is its English text here.

import de from './de.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import ja from './ja.json';

export type Messages = Record<string, string>;

const LOCALES: Record<string, Messages> = {en, es, de, fr, ja};

/** translations gives the messages of a Mattermost locale ("de", "pt-BR"…), English where none. */
export function translations(locale: string): Messages {
    const base = locale.toLowerCase().split(/[-_]/)[0];
    return LOCALES[locale] ?? LOCALES[base] ?? en;
}

/** translate gives one message in a locale, for the few strings that are not rendered by react-intl. */
export function translate(locale: string, id: keyof typeof en): string {
    return translations(locale)[id] ?? en[id];
}
