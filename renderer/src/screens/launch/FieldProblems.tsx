import type { Problem } from '../../../../shared/inspect-types';

/**
 * The check's messages for one field. Runner problems are what the launch would meet; spec
 * problems are the published schema's view, which the runner may not share, so they are marked.
 */
export function FieldProblems({ problems, id }: { problems: Problem[]; id: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems" id={id} role="alert" data-testid="field-problems">
      {problems.map((p, i) => (
        <li key={`${p.code}-${i}`} className={p.source === 'runner' ? 'field-problem' : 'field-problem field-problem-spec'}>
          <span className="problem-source">{p.source === 'runner' ? 'Runner' : 'Spec'}</span> {p.message}
        </li>
      ))}
    </ul>
  );
}
