// LocaleSwitch: the language picker (sign-in page and top bar); the choice is remembered.
import { LOCALES, type Key, type Locale, type Vars } from '../i18n';

interface Props { locale: Locale; setLocale: (l: Locale) => void; t: (k: Key, v?: Vars) => string }

export function LocaleSwitch({ locale, setLocale, t }: Props) {
  return (
    <label class="locale">
      <span class="sr-only">{t('common.language')}</span>
      <select value={locale} onChange={(e) => setLocale((e.target as HTMLSelectElement).value as Locale)}>
        {LOCALES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </label>
  );
}
