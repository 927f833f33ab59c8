import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLocale, localeFromLanguageTag, messages, type Locale } from '../../../shared/i18n';

/** The user's language choice survives restarts on this workstation. */
export const LOCALE_KEY = 'lotseal.locale';

function initialLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  return isLocale(stored) ? stored : localeFromLanguageTag(navigator.language);
}

const lng = initialLocale();

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: messages.en },
    'zh-CN': { translation: messages['zh-CN'] },
  },
  lng,
  fallbackLng: 'en',
  supportedLngs: ['en', 'zh-CN'],
  load: 'currentOnly',
  initAsync: false,
  // React escapes; double escaping would show &amp; in names such as "Wang & Co".
  interpolation: { escapeValue: false },
  returnNull: false,
});

document.documentElement.lang = lng;

i18n.on('languageChanged', (l) => {
  document.documentElement.lang = l;
  if (isLocale(l)) localStorage.setItem(LOCALE_KEY, l);
});

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'en';
}

export function setLocale(locale: Locale): void {
  void i18n.changeLanguage(locale);
}

export default i18n;
