import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, linter } from '@codemirror/lint';
import { Annotation, Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { findJsonSyntaxError } from '../../../../shared/json-syntax';

export interface JsonCodeEditorProps {
  value: string;
  onChange: (text: string) => void;
  /** The editor's accessible name. */
  label: string;
  invalid?: boolean;
  /** Read out with the editor, e.g. its error: aria-describedby cannot reach into the shadow root. */
  description?: string;
  testId?: string;
}

/** Marks a change that came from the value prop, so it is not reported back as the user's edit. */
const fromProp = Annotation.define<boolean>();

/** The first syntax error as a lint marker; the same finder writes the line and column below the editor. */
function jsonSyntaxLint(view: EditorView): Diagnostic[] {
  const text = view.state.doc.toString();
  const error = findJsonSyntaxError(text);
  if (!error) return [];
  // An error at the very end (the text stops early) marks the last character, so there is something to see.
  const from = Math.max(0, Math.min(error.offset, text.length - 1));
  return [{ from, to: Math.min(text.length, from + 1), severity: 'error', message: `Line ${error.line}, column ${error.column}: ${error.reason}` }];
}

const theme = EditorView.theme({
  '&': {
    border: '1px solid var(--line-strong)',
    borderRadius: 'var(--radius)',
    background: 'var(--surface)',
    fontSize: '12.5px',
  },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '1px' },
  '&[data-invalid="true"]': { borderColor: 'var(--danger)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.4', minHeight: '220px', maxHeight: '70vh' },
  '.cm-gutters': { background: 'var(--canvas)', borderRight: '1px solid var(--line)', color: 'var(--ink-muted)' },
});

/**
 * CodeMirror 6 over a JSON text, with the value/onChange contract of a controlled textarea.
 *
 * It lives in a shadow root: there CodeMirror's run-time styles go into a constructed stylesheet
 * (adoptedStyleSheets, which the CSP's style-src does not govern), whereas in the document itself
 * it would add a <style> element that the page's strict CSP (no 'unsafe-inline') refuses. The
 * alternative, a CSP nonce, cannot work for the desktop build, whose policy is a fixed <meta> tag.
 */
export function JsonCodeEditor({ value, onChange, label, invalid, description, testId }: JsonCodeEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const attributes = useRef(new Compartment());
  const content: Record<string, string> = {
    'aria-label': label,
    'aria-invalid': invalid ? 'true' : 'false',
    ...(description ? { 'aria-description': description } : {}),
    ...(testId ? { 'data-testid': testId } : {}),
  };
  const contentKey = JSON.stringify(content);
  // What the editor, made once, reads when it starts and when the user types.
  const latest = useRef({ value, onChange, contentKey });
  useLayoutEffect(() => {
    latest.current = { value, onChange, contentKey };
  });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const view = new EditorView({
      parent: root,
      root,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          lineNumbers(),
          history(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          json(),
          linter(jsonSyntaxLint, { delay: 200 }),
          lintGutter(),
          // No Tab-to-indent: Tab must still move the focus on, or a keyboard user is trapped here.
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          theme,
          attributes.current.of(attributeExtensions(latest.current.contentKey)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromProp))) latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, []);

  useEffect(() => {
    const view = viewRef.current;
    if (!view || view.state.doc.toString() === value) return;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value }, annotations: fromProp.of(true) });
  }, [value]);

  useEffect(() => {
    viewRef.current?.dispatch({ effects: attributes.current.reconfigure(attributeExtensions(contentKey)) });
  }, [contentKey]);

  return <div ref={hostRef} className="json-editor-host" />;
}

function attributeExtensions(contentKey: string) {
  const content = JSON.parse(contentKey) as Record<string, string>;
  return [EditorView.contentAttributes.of(content), EditorView.editorAttributes.of({ 'data-invalid': content['aria-invalid'] })];
}
