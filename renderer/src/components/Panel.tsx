import type { ReactNode } from 'react';

/**
 * A panel of a screen: its h2 names the section for screen readers (`${id}-title`), and the hint
 * under it says what the panel is for.
 */
export function Panel({ id, title, hint, className, children }: { id: string; title: ReactNode; hint: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel-title">
        {title}
      </h2>
      <p className="panel-hint">{hint}</p>
      {children}
    </section>
  );
}
