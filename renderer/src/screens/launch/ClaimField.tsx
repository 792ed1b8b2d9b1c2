import { useEffect, useId, useRef, type ReactNode } from 'react';
import { getAt } from '../../../../shared/launch/paths';
import { randomUuid } from '../../../../shared/launch/random';
import { useConsole } from '../../state/store';
import { DatePicker } from './DatePicker';
import { PLACEHOLDER } from './datetime';
import { FieldProblems } from './FieldProblems';
import { useProblemsAt } from './problems';

export type ClaimKind = 'string' | 'url' | 'uuid' | 'date' | 'datetime' | 'number' | 'boolean';

export interface ClaimFieldProps {
  label: string;
  /** Dotted path into the claims. */
  path: string;
  kind: ClaimKind;
  optional?: boolean;
  hint?: ReactNode;
  /** Makes a fresh value: shown as a button beside the input. */
  regenerate?: () => unknown;
  regenerateLabel?: string;
  /** id of a <datalist> of suggestions. */
  list?: string;
  placeholder?: string;
  wide?: boolean;
}

/** What a value that is not of the field's kind looks like in words. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * One claim as a form control. It shows whatever the claims hold (a value of the wrong kind is
 * shown as text with a note rather than hidden) and writes typed values back: an emptied input
 * removes the claim, a checkbox writes JSON true/false, a number input a number.
 */
export function ClaimField(props: ClaimFieldProps) {
  const { label, path, kind, optional, hint, regenerate, list, placeholder } = props;
  const value = useConsole((s) => getAt(s.claims, path));
  const setClaim = useConsole((s) => s.setClaim);
  const problems = useProblemsAt(path);
  const id = useId();
  const hintId = `${id}-hint`;
  const problemsId = `${id}-problems`;
  const describedBy = [hint ? hintId : '', problems.length ? problemsId : ''].filter(Boolean).join(' ') || undefined;
  const invalid = problems.some((p) => p.source === 'runner') || undefined;
  const fieldRef = useRef<HTMLDivElement>(null);
  // A problem that appears under the field being typed in is brought into view, clear of the
  // sticky launch bar (html's scroll-padding-bottom is the bar's height).
  const problemCount = problems.length;
  useEffect(() => {
    const field = fieldRef.current;
    if (problemCount > 0 && field?.contains(document.activeElement)) field.scrollIntoView({ block: 'nearest' });
  }, [problemCount]);

  const makeNew = regenerate ?? (kind === 'uuid' ? randomUuid : undefined);
  const labelText = (
    <>
      {label}
      {optional && <span className="optional"> (optional)</span>}
    </>
  );

  if (kind === 'boolean') {
    const odd = value !== undefined && typeof value !== 'boolean';
    return (
      <div ref={fieldRef} className={props.wide ? 'field claim-field field-wide' : 'field claim-field'} data-path={path}>
        <div className="checkbox-line">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            aria-describedby={[hintId, problems.length ? problemsId : ''].filter(Boolean).join(' ')}
            aria-invalid={invalid}
            onChange={(e) => setClaim(path, e.target.checked)}
          />
          <label htmlFor={id}>{labelText}</label>
          {optional && value !== undefined && (
            <button type="button" className="button button-small button-quiet" onClick={() => setClaim(path, undefined)} aria-label={`Leave out ${label}`}>
              Leave out
            </button>
          )}
        </div>
        <p className="field-hint" id={hintId}>
          {hint}
          {hint ? ' · ' : ''}
          {odd ? (
            <>
              holds {kindOf(value)} <code>{JSON.stringify(value)}</code>, not a JSON boolean
            </>
          ) : value === undefined ? (
            'not in the claims'
          ) : (
            <>
              sent as JSON <code>{String(value)}</code>
            </>
          )}
        </p>
        <FieldProblems problems={problems} id={problemsId} />
      </div>
    );
  }

  const dateKind = kind === 'date' || kind === 'datetime' ? kind : null;
  let inputType = 'text';
  let shown: string;
  if (kind === 'number') {
    inputType = typeof value === 'number' || value === undefined ? 'number' : 'text';
    shown = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  } else {
    if (kind === 'url') inputType = 'url';
    shown = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }

  // Dates are kept as typed: the text is the claim, and the check says what is wrong with it.
  function onChange(text: string) {
    if (text === '') return setClaim(path, undefined);
    if (kind === 'number') {
      const n = Number(text);
      return setClaim(path, Number.isFinite(n) && text.trim() !== '' ? n : text);
    }
    setClaim(path, text);
  }

  const wrongKind = value !== undefined && (kind === 'number' ? typeof value !== 'number' : typeof value !== 'string');

  return (
    <div ref={fieldRef} className={props.wide ? 'field claim-field field-wide' : 'field claim-field'} data-path={path}>
      <label htmlFor={id}>{labelText}</label>
      <div className="input-with-button">
        <input
          id={id}
          type={inputType}
          className="text-input"
          value={shown}
          list={list}
          placeholder={placeholder ?? (dateKind ? PLACEHOLDER[dateKind] : undefined)}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={describedBy}
          aria-invalid={invalid}
          onChange={(e) => onChange(e.target.value)}
        />
        {dateKind && <DatePicker kind={dateKind} label={label} path={path} value={value} onPick={(picked) => setClaim(path, picked)} />}
        {makeNew && (
          <button
            type="button"
            className="button button-small"
            aria-label={props.regenerateLabel ?? `New ${label}`}
            title={props.regenerateLabel ?? `New ${label}`}
            onClick={() => setClaim(path, makeNew())}
          >
            New
          </button>
        )}
      </div>
      {(hint || wrongKind) && (
        <p className="field-hint" id={hintId}>
          {wrongKind && <>Holds {kindOf(value)}, not text. </>}
          {hint}
        </p>
      )}
      <FieldProblems problems={problems} id={problemsId} />
    </div>
  );
}
