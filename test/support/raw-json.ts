// The Launch screen's raw JSON is a CodeMirror editor (a contenteditable in a shadow root), not a
// textarea: Playwright's fill() sets a DOM selection CodeMirror may not see and lets the browser's
// own editing restyle the lines (which the page's CSP then reports). The tests replace its text as
// a person does instead: select all with the keyboard, then paste.
import type { Locator } from 'playwright-core';

/** Replaces the editor's whole text with `text`, through CodeMirror's own select-all and paste. */
export async function fillRawJson(editor: Locator, text: string): Promise<void> {
  await editor.click();
  await editor.press('Control+a');
  await editor.evaluate((el, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
  }, text);
}

/**
 * The editor's whole text. CodeMirror draws only the lines near the window (a gap stands for the
 * rest), so the editor is first brought into view and given two frames to draw its lines.
 */
export async function readRawJson(editor: Locator): Promise<string> {
  await editor.scrollIntoViewIfNeeded();
  await editor.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return editor.innerText();
}
