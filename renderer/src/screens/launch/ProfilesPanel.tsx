import { useEffect, useId, useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { useConsole } from '../../state/store';

/** Named builder states for the active environment; loading one makes its ids and times fresh. */
export function ProfilesPanel() {
  const profiles = useConsole((s) => s.profiles);
  const loaded = useConsole((s) => s.profilesLoaded);
  const load = useConsole((s) => s.loadProfiles);
  const save = useConsole((s) => s.saveProfile);
  const remove = useConsole((s) => s.removeProfile);
  const loadProfile = useConsole((s) => s.loadProfile);
  const busy = useConsole((s) => s.historyBusy.profileSave);
  const listError = useConsole((s) => s.historyErrors.profiles);
  const saveError = useConsole((s) => s.historyErrors.profileSave);
  const rowError = useConsole((s) => s.historyErrors.profileRow);
  const clearError = useConsole((s) => s.clearHistoryError);
  const schemaTitle = useConsole((s) => s.schema?.title);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [loadedName, setLoadedName] = useState<string | null>(null);
  const nameId = useId();

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  return (
    <section className="panel" aria-labelledby="profiles-title" data-testid="profiles">
      <h2 id="profiles-title" className="panel-title">
        Profiles {loaded && <span className="count">({profiles.length})</span>}
      </h2>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setSaved(null);
          setLoadedName(null);
          const profile = await save(name);
          if (profile) {
            setSaved(profile.name);
            setName('');
          }
        }}
      >
        <label htmlFor={nameId} className="visually-hidden">
          Profile name
        </label>
        <input
          id={nameId}
          className="text-input"
          placeholder={schemaTitle ? `e.g. ${schemaTitle}, Welsh` : 'Profile name'}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (saveError) clearError('profileSave');
          }}
        />
        <button type="submit" className="button button-small" disabled={busy || !name.trim()}>
          {busy ? 'Saving…' : 'Save the builder'}
        </button>
      </form>
      <ErrorAlert message={saveError} onDismiss={() => clearError('profileSave')} testId="profile-save-error" />
      {saved && (
        <p className="inline-status" role="status">
          Saved “{saved}”.
        </p>
      )}
      <ErrorAlert message={listError} testId="profiles-error" />
      <ErrorAlert message={rowError} onDismiss={() => clearError('profileRow')} />
      {loaded && profiles.length === 0 && <p className="empty">No profiles for this environment yet.</p>}
      <ul className="profile-list">
        {profiles.map((p) => (
          <li key={p.id} className="profile-item" data-testid="profile-item">
            <div className="profile-text">
              <strong>{p.name}</strong>
              <span className="muted">
                {' '}
                · {p.payload} · {p.schema?.name ?? 'no schema'}
              </span>
            </div>
            <div className="row-actions">
              <button
                type="button"
                className="button button-small"
                aria-label={`Load profile ${p.name}`}
                onClick={async () => {
                  setSaved(null);
                  await loadProfile(p);
                  setLoadedName(p.name);
                }}
              >
                Load
              </button>
              <button
                type="button"
                className="button button-small button-danger-outline"
                aria-label={`Delete profile ${p.name}`}
                onClick={() => void remove(p.id)}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      {loadedName && (
        <p className="inline-status" role="status">
          Loaded “{loadedName}” with fresh ids and times.
        </p>
      )}
    </section>
  );
}
