// Table cell contents that several tables share.

/** Text kept to one line, whole in its tooltip; monospaced for ids and codes. */
export function TextCell({ text, mono }: { text: string; mono?: boolean | undefined }) {
  return mono ? (
    <code className="cell-text" title={text}>
      {text}
    </code>
  ) : (
    <span className="cell-text" title={text}>
      {text}
    </span>
  );
}

/** An empty cell's dash, which a screen reader reads as `meaning` ("none", "not used") rather than as punctuation. */
export function Dash({ meaning = 'none', title }: { meaning?: string; title?: string }) {
  return (
    <span className="muted" title={title}>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{meaning}</span>
    </span>
  );
}

/** The text, or a dash when there is none. */
export function TextOrDash({ text, mono }: { text: string | undefined | null; mono?: boolean }) {
  return text ? <TextCell text={text} mono={mono} /> : <Dash />;
}
