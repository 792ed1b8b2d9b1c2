import { useRef } from 'react';
import { type DateKind, fromPicker, pickerValue } from './datetime';

export interface DatePickerProps {
  kind: DateKind;
  /** The claim's label, for the button's name. */
  label: string;
  path: string;
  /** The claim as it is; the picker opens on it when it can show it. */
  value: unknown;
  onPick: (value: string) => void;
}

/**
 * A button that opens the browser's own date (or date-time, in UTC) picker beside an ISO text
 * field. The native input stays out of sight: shown, it would render a value it cannot represent
 * as an empty, locale-formatted mm/dd/yyyy, hiding what the claims hold. A picker closed without
 * a choice, or cleared, changes nothing.
 */
export function DatePicker({ kind, label, path, value, onPick }: DatePickerProps) {
  const input = useRef<HTMLInputElement>(null);
  const what = kind === 'date' ? 'date' : 'date and time (UTC)';

  function open() {
    const el = input.current;
    if (!el) return;
    el.value = pickerValue(kind, value);
    try {
      el.showPicker();
    } catch {
      // showPicker is refused without a user gesture or where unsupported: focus still lets the keyboard pick.
      el.focus();
    }
  }

  return (
    <span className="date-picker">
      <button type="button" className="button button-small" aria-label={`Pick ${label} from a calendar`} title={`Pick a ${what}`} onClick={open}>
        Pick
      </button>
      <input
        ref={input}
        type={kind === 'date' ? 'date' : 'datetime-local'}
        step={kind === 'datetime' ? 1 : undefined}
        className="date-picker-native"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={`date-picker-${path}`}
        onChange={(e) => {
          const picked = fromPicker(kind, e.target.value);
          if (picked) onPick(picked);
        }}
      />
    </span>
  );
}
