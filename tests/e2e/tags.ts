/**
 * Tags that choose a journey's browser (playwright.config.ts). A journey that opens a PDF in a
 * tab of the person's browser declares it with `PDF_TAB` (./fixtures): it runs in the full
 * Chromium, whose PDF viewer shows the tab; Chromium's headless shell has none and takes such a
 * tab for a download that never comes (D-124). Every other journey runs in the headless shell,
 * about a fifth less CPU — including the other journeys of the same spec files.
 */
export const PDF_TAB_TAG = '@pdf-tab';
