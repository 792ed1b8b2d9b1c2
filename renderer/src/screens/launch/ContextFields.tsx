import { useId } from 'react';
import { useConsole } from '../../state/store';
import { ChipsField } from './ChipsField';
import { ClaimField } from './ClaimField';
import { useAppliedSchema } from './useAppliedSchema';

const LANGUAGES = [
  ['en', 'English'],
  ['cy', 'Welsh'],
  ['ga', 'Irish'],
  ['eo', 'Ulster Scots'],
] as const;
const REGIONS = ['GB-ENG', 'GB-WLS', 'GB-NIR', 'GB-SCT'];
const CHANNELS = ['RH', 'H', 'CC', 'EQ', 'FIELD'];
const ROLE_PRESETS = ['dumper', 'flusher'];

/** Who the respondent is launching as: language, region, channel, roles, receipting and account links. */
export function ContextFields() {
  const payload = useConsole((s) => s.payload);
  const schema = useAppliedSchema();
  const ids = { lang: useId(), region: useId(), channel: useId() };
  return (
    <fieldset className="fieldset">
      <legend>Launch context</legend>
      <div className="field-grid">
        <ClaimField
          label="language_code"
          path="language_code"
          kind="string"
          optional
          list={ids.lang}
          hint="en, cy, ga, eo or any text; the runner falls back to en for a language the schema lacks."
        />
        <ClaimField label="region_code" path="region_code" kind="string" optional list={ids.region} hint="GB- and three capitals, e.g. GB-ENG." />
        <ClaimField label="channel" path="channel" kind="string" optional list={ids.channel} />
        <ClaimField
          label="account_service_url"
          path="account_service_url"
          kind="url"
          hint="Where the respondent's account links go; localhost passes, single-label hosts do not."
        />
        <ChipsField label="roles" path="roles" presets={ROLE_PRESETS} hint="dumper opens /dump/submission for the session; flusher is for flush tokens." />
        {payload === 'v2' && (
          <ChipsField
            label="receipting_keys"
            path="survey_metadata.receipting_keys"
            suggestions={schema?.metadata.map((m) => m.name) ?? []}
            hint="Each must be a key of survey_metadata.data."
          />
        )}
      </div>
      <datalist id={ids.lang}>
        {LANGUAGES.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </datalist>
      <datalist id={ids.region}>
        {REGIONS.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <datalist id={ids.channel}>
        {CHANNELS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
    </fieldset>
  );
}
