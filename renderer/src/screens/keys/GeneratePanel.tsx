import { useId, useState } from 'react';
import type { GenerateOptions, KeyUse, Purpose } from '../../../../shared/api';
import { GENERATE_BITS, usualUseForGenerate } from '../../../../shared/key-policy';
import { ErrorAlert } from '../../components/Alert';
import { Panel } from '../../components/Panel';
import { useConsole } from '../../state/store';
import { PurposeOptions, UseOptions } from './KeyOptions';

export function GeneratePanel() {
  const generate = useConsole((s) => s.generate);
  const busy = useConsole((s) => s.busy.generate);
  const error = useConsole((s) => s.errors.generate);
  const clearError = useConsole((s) => s.clearError);
  const [purpose, setPurpose] = useState<Purpose>('authentication');
  const [use, setUse] = useState<KeyUse>(usualUseForGenerate('authentication'));
  const [bits, setBits] = useState<GenerateOptions['bits']>(GENERATE_BITS[0]);
  const [label, setLabel] = useState('');
  const [made, setMade] = useState<string | null>(null);
  const ids = { purpose: useId(), use: useId(), bits: useId(), label: useId() };

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setMade(null);
    const key = await generate({ purpose, use, bits, ...(label.trim() ? { label: label.trim() } : {}) });
    if (key) {
      setMade(key.kid);
      setLabel('');
    }
  }

  return (
    <Panel id="generate" title="Generate a key" hint="A new RSA key pair, kept by this console. Export its public half for the runner.">
      <form onSubmit={(e) => void onSubmit(e)} aria-busy={busy || undefined} data-testid="generate-form">
        <div className="field-grid">
          <div className="field">
            <label htmlFor={ids.purpose}>Purpose</label>
            <select
              id={ids.purpose}
              value={purpose}
              onChange={(e) => {
                const p = e.target.value as Purpose;
                setPurpose(p);
                setUse(usualUseForGenerate(p));
              }}
            >
              <PurposeOptions />
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.use}>Use</label>
            <select id={ids.use} value={use} onChange={(e) => setUse(e.target.value as KeyUse)}>
              <UseOptions />
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.bits}>Bits</label>
            <select id={ids.bits} value={bits} onChange={(e) => setBits(Number(e.target.value) as GenerateOptions['bits'])}>
              {GENERATE_BITS.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.label}>Label</label>
            <input
              id={ids.label}
              type="text"
              className="text-input"
              placeholder="optional"
              value={label}
              maxLength={200}
              onChange={(e) => setLabel(e.target.value)}
            />
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="generate-submit">
            {busy ? 'Generating…' : 'Generate key'}
          </button>
          {bits === 4096 && !busy && <span className="field-hint">4096-bit keys can take a few seconds.</span>}
        </div>
        <ErrorAlert message={error} onDismiss={() => clearError('generate')} testId="generate-error" />
        {made && (
          <p className="report" role="status" data-testid="generate-result">
            Generated key <code className="kid">{made}</code>.
          </p>
        )}
      </form>
    </Panel>
  );
}
