import type { ReactNode } from 'react';

/**
 * A section of the app: its h1, which also names the section for screen readers, and the one
 * sentence that says what the section is for, above its content. `name` gives the class and
 * test id, as in "keys-screen".
 */
export function Screen({ name, title, lead, children }: { name: string; title: string; lead: string; children: ReactNode }) {
  return (
    <section className={`screen ${name}-screen`} aria-labelledby="screen-title" data-testid={`${name}-screen`}>
      <div className="screen-head">
        <h1 id="screen-title" className="screen-title">
          {title}
        </h1>
        <p className="screen-lead">{lead}</p>
      </div>
      {children}
    </section>
  );
}
