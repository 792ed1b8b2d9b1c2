import { useEffect } from 'react';
import { FlushInputs } from './FlushInputs';
import { FlushResults } from './FlushResults';
import { FlushRunPanel } from './FlushRunPanel';

export function FlushScreen() {
  // Arriving from a history row far down the Launch screen would otherwise land below the queue.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);
  return (
    <section className="screen flush-screen" aria-labelledby="screen-title" data-testid="flush-screen">
      <div className="screen-head">
        <h1 id="screen-title" className="screen-title">
          Flush
        </h1>
        <p className="screen-lead">
          Ask the runner to flush partial responses: each one with stored answers is sent downstream and deleted.
        </p>
      </div>
      <div className="flush-grid">
        <FlushInputs />
        <FlushRunPanel />
      </div>
      <FlushResults />
    </section>
  );
}
