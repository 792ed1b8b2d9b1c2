import { useId, useState } from 'react';
import { getAt } from '../../../../shared/launch/paths';
import { useConsole } from '../../state/store';
import { FieldProblems } from './FieldProblems';
import { useProblemsAt } from './problems';

/**
 * A list of strings (roles, receipting_keys) as removable chips. An empty list removes the claim,
 * so "no roles" and "roles: []" are not confused in the token.
 */
export function ChipsField({
  label,
  path,
  presets = [],
  suggestions = [],
  hint,
}: {
  label: string;
  path: string;
  presets?: string[];
  suggestions?: string[];
  hint?: string;
}) {
  const raw = useConsole((s) => getAt(s.claims, path));
  const setClaim = useConsole((s) => s.setClaim);
  const problems = useProblemsAt(path);
  const [text, setText] = useState('');
  const id = useId();
  const listId = `${id}-list`;
  const odd = raw !== undefined && !(Array.isArray(raw) && raw.every((r) => typeof r === 'string'));
  const items: string[] = Array.isArray(raw) ? raw.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))) : [];

  const write = (next: string[]) => setClaim(path, next.length ? next : undefined);
  const add = (value: string) => {
    const v = value.trim();
    if (v && !items.includes(v)) write([...items, v]);
    setText('');
  };

  return (
    <div className="field claim-field field-wide" data-path={path}>
      <label htmlFor={id}>
        {label} <span className="optional">(optional)</span>
      </label>
      <ul className="chips" aria-label={`${label} in the claims`}>
        {items.map((item, i) => (
          <li key={`${item}-${i}`} className="chip">
            <span>{item}</span>
            <button type="button" className="chip-remove" aria-label={`Remove ${label} ${item}`} onClick={() => write(items.filter((_, j) => j !== i))}>
              ×
            </button>
          </li>
        ))}
        {items.length === 0 && <li className="chip-empty muted">none</li>}
      </ul>
      <div className="input-with-button">
        <input
          id={id}
          className="text-input"
          value={text}
          list={suggestions.length ? listId : undefined}
          placeholder="type and press Enter"
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add(text);
            }
          }}
        />
        <button type="button" className="button button-small" disabled={!text.trim()} onClick={() => add(text)} aria-label={`Add to ${label}`}>
          Add
        </button>
        {presets.map((p) => (
          <button
            key={p}
            type="button"
            className="button button-small"
            aria-pressed={items.includes(p)}
            onClick={() => (items.includes(p) ? write(items.filter((i) => i !== p)) : write([...items, p]))}
          >
            {p}
          </button>
        ))}
      </div>
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
      {(hint || odd) && (
        <p className="field-hint">
          {odd && <>Holds {JSON.stringify(raw)}, not a list of strings. </>}
          {hint}
        </p>
      )}
      <FieldProblems problems={problems} id={`${id}-problems`} />
    </div>
  );
}
