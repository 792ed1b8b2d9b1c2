import { KEY_USES, PURPOSES } from '../../../../shared/api';

/** The <option>s of a purpose select, named in words ("supplementary data" for supplementary_data). */
export function PurposeOptions() {
  return PURPOSES.map((p) => (
    <option key={p} value={p}>
      {p.replace('_', ' ')}
    </option>
  ));
}

/** The <option>s of a key use select. */
export function UseOptions() {
  return KEY_USES.map((u) => (
    <option key={u} value={u}>
      {u}
    </option>
  ));
}
