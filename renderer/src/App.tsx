import { useEffect, type JSX } from 'react';
import { EnvironmentSwitcher } from './components/EnvironmentSwitcher';
import { SCREENS, type ScreenId } from './state/app-slice';
import { useConsole } from './state/store';
import { DownstreamScreen } from './screens/downstream/DownstreamScreen';
import { FlushScreen } from './screens/flush/FlushScreen';
import { InspectScreen } from './screens/inspect/InspectScreen';
import { KeysScreen } from './screens/keys/KeysScreen';
import { LaunchScreen } from './screens/launch/LaunchScreen';

const APP_NAME = 'eQ launch console';

export function App() {
  const screen = useConsole((s) => s.screen);
  const loadInfo = useConsole((s) => s.loadInfo);

  useEffect(() => {
    void loadInfo();
  }, [loadInfo]);

  useEffect(() => {
    // Without this, a file dropped where no screen takes it would make the browser open it in place
    // of the app. A screen that takes drops cancels them before they reach the window (it listens
    // on the document), so a cancelled event here is already handled and is left alone.
    const refuse = (e: DragEvent) => {
      if (e.defaultPrevented || !Array.from(e.dataTransfer?.types ?? []).includes('Files')) return;
      e.preventDefault();
      if (e.type === 'dragover' && e.dataTransfer) e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);

  return (
    <div className="app">
      <AppHeader />
      <nav className="app-nav" aria-label="Sections">
        <NavList current={screen} />
      </nav>
      <main className="app-main" id="main">
        <SectionScreen id={screen} />
      </main>
    </div>
  );
}

function AppHeader() {
  const info = useConsole((s) => s.info);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-name">{APP_NAME}</span>
        {info && (
          <span className="brand-meta">
            v{info.version} · {info.mode === 'browser' ? 'browser mode' : 'desktop'}
          </span>
        )}
        {info?.setAside?.length ? (
          <span className="brand-meta" role="alert" data-testid="set-aside" title={info.setAside.join('\n')}>
            ⚠ {info.setAside.join(' ')}
          </span>
        ) : null}
      </div>
      <EnvironmentSwitcher />
    </header>
  );
}

function NavList({ current }: { current: ScreenId }) {
  const setScreen = useConsole((s) => s.setScreen);
  return (
    <ul>
      {SCREENS.map((s) => (
        <li key={s.id}>
          <button
            type="button"
            className="nav-item"
            aria-current={s.id === current ? 'page' : undefined}
            data-testid={`nav-${s.id}`}
            onClick={() => setScreen(s.id)}
          >
            {s.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** One screen per section; a new ScreenId fails to compile until it has its screen here. */
function SectionScreen({ id }: { id: ScreenId }): JSX.Element {
  switch (id) {
    case 'keys':
      return <KeysScreen />;
    case 'launch':
      return <LaunchScreen />;
    case 'flush':
      return <FlushScreen />;
    case 'downstream':
      return <DownstreamScreen />;
    case 'inspect':
      return <InspectScreen />;
  }
}
