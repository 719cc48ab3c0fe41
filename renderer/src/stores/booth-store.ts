import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

/** Where the booth's report link is kept between sessions (localStorage). */
export const REPORT_LINK_STORAGE_KEY = 'edge-workbench.demo.report-link';

/**
 * The booth display's settings, set on the System screen before the demo starts (the demo itself leaves
 * at any key): the link to the HTML report a visitor's phone can open — where the booth published it —
 * shown in the demo as a QR code with the URL under it.
 */
export const useBoothStore = defineStore('booth', () => {
  const reportLink = ref(globalThis.localStorage?.getItem(REPORT_LINK_STORAGE_KEY) ?? '');
  const storageError = ref<string | null>(null);

  /** the link when it is an http(s) URL, else null (nothing to encode) */
  const reportUrl = computed<string | null>(() => {
    const text = reportLink.value.trim();
    if (text === '') return null;
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  });

  /** why the typed link cannot be shown, or null */
  const linkError = computed(() =>
    reportLink.value.trim() !== '' && reportUrl.value === null
      ? `“${reportLink.value.trim()}” is not an http:// or https:// address: the QR code needs a full URL, e.g. https://example.com/report.html`
      : null,
  );

  function setReportLink(text: string): void {
    reportLink.value = text;
    try {
      localStorage.setItem(REPORT_LINK_STORAGE_KEY, text.trim());
      storageError.value = null;
    } catch (cause) {
      storageError.value = `The link applies now but will not be remembered: this browser refused to store it (${
        cause instanceof Error ? cause.message : String(cause)
      }).`;
    }
  }

  return { reportLink, reportUrl, linkError, storageError, setReportLink };
});
