import type { ValueShape } from './model/values';
import { valueLines } from './model/values';
import { useCompact } from './DataGrid';
import type { ItemNamer } from './model/values';

/**
 * An answer value drawn by its shape. In a virtualized table every row is one line high, so
 * there it is the one-line text (the full value is in the tooltip); with room, lists and
 * addresses get their lines.
 */
export function AnswerValue({ value, shape, text, name }: { value: unknown; shape: ValueShape; text: string; name?: ItemNamer }) {
  const compact = useCompact();
  if (shape === 'empty') return <span className="muted">(no value)</span>;
  if (shape === 'number') return <span className="value-number">{text}</span>;
  if (compact || shape === 'text' || shape === 'boolean' || shape === 'duration') {
    return (
      <span className={`cell-text value-${shape}`} title={text}>
        {text}
      </span>
    );
  }
  const lines = valueLines(value, name);
  if (shape === 'address') {
    return (
      <address className="value-address">
        {lines.map((l, i) => (
          <span key={i} className="value-line">
            {l}
          </span>
        ))}
      </address>
    );
  }
  if (shape === 'checkbox' || shape === 'relationships') {
    if (lines.length === 0) return <span className="muted">(none)</span>;
    return (
      <ul className={`value-list value-${shape}`}>
        {lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    );
  }
  return <code className="value-other">{text}</code>;
}
