import { ExportNames } from '../../../../shared/export-names';

/** Save text as a file through a Blob URL: nothing leaves the page, and no server round trip is needed. */
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; the next task is late enough.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One per page: names stay unique across every screen's exports until the page reloads. */
const exportNames = new ExportNames();

/** Downloads under a name made from `stem` that no earlier export of this session used (stem-2, stem-3 …). */
export function downloadExport(stem: string, extension: 'csv' | 'json', text: string): void {
  downloadText(exportNames.claim(stem, extension), text, extension === 'csv' ? 'text/csv' : 'application/json');
}

export { copyText } from '../../clipboard';
