import fs from 'node:fs';
import path from 'node:path';

import {describe, expect, it} from 'vitest';

import en from './en.json';
import {translate, translations} from './index';

const SOURCE = path.resolve(__dirname, '..');

/** sourceMessages finds every react-intl message in the webapp's source, with its English default. */
function sourceMessages(): Record<string, string> {
    const found: Record<string, string> = {};
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(file);
            } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
                for (const m of fs.readFileSync(file, 'utf8').matchAll(/id: '([a-z0-9_.]+)',\s*defaultMessage: '((?:[^'\\]|\\.)*)'/g)) {
                    found[m[1]] = m[2].replace(/\\'/g, '\'');
                }
            }
        }
    };
    walk(SOURCE);
    return found;
}

describe('translations', () => {
    it('English holds every message of the source, with the same text', () => {
        const source = sourceMessages();
        for (const [key, text] of Object.entries(source)) {
            expect(en[key as keyof typeof en], key).toBe(text);
        }
    });

    it.each(['es', 'de', 'fr', 'ja'])('%s translates every English message, keeping its placeholders', (locale) => {
        const messages = translations(locale);
        expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
        for (const [key, text] of Object.entries(en)) {
            const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
            expect(placeholders(messages[key]), key).toEqual(placeholders(text));
        }
    });

    it('falls back from a regional locale to its language, and to English', () => {
        expect(translate('de-AT', 'readreceipts.indicator.sent')).toBe('Gesendet');
        expect(translate('pt-BR', 'readreceipts.indicator.sent')).toBe('Sent');
    });
});
