import type { ImportReport } from '../../../../shared/api';

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

export function ImportReportView({ report }: { report: ImportReport }) {
  const { added, upgraded, unchanged, skipped } = report;
  return (
    <div className="report" role="status" data-testid="import-report">
      <p className="report-summary">
        Added {plural(added.length, 'key', 'keys')}, upgraded {upgraded.length}, unchanged {unchanged.length}, skipped {skipped.length}.
      </p>
      <ul className="report-list">
        {added.map((k) => (
          <li key={`a-${k.kid}`}>
            <span className="tag tag-added">added</span> <code className="kid">{k.kid}</code>{' '}
            <span className="muted">
              {k.purpose.replace('_', ' ')} {k.use}, {k.type}
            </span>
          </li>
        ))}
        {upgraded.map((kid) => (
          <li key={`u-${kid}`}>
            <span className="tag tag-upgraded">upgraded</span> <code className="kid">{kid}</code> <span className="muted">now has its private half</span>
          </li>
        ))}
        {unchanged.length > 0 && (
          <li>
            <span className="tag tag-unchanged">unchanged</span>{' '}
            <details className="report-details">
              <summary>{plural(unchanged.length, 'key was', 'keys were')} already in the key ring</summary>
              <ul>
                {unchanged.map((kid) => (
                  <li key={kid}>
                    <code className="kid">{kid}</code>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        )}
        {skipped.map((s, i) => (
          <li key={`s-${i}`}>
            <span className="tag tag-skipped">skipped</span> <span className="file-name">{s.name}</span>: {s.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
