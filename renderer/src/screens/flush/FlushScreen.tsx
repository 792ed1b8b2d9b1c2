import { useEffect } from 'react';
import { Screen } from '../../components/Screen';
import { FlushInputs } from './FlushInputs';
import { FlushResults } from './FlushResults';
import { FlushRunPanel } from './FlushRunPanel';

export function FlushScreen() {
  // Arriving from a history row far down the Launch screen would otherwise land below the queue.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);
  return (
    <Screen name="flush" title="Flush" lead="Ask the runner to flush partial responses: each one with stored answers is sent downstream and deleted.">
      <div className="flush-grid">
        <FlushInputs />
        <FlushRunPanel />
      </div>
      <FlushResults />
    </Screen>
  );
}
