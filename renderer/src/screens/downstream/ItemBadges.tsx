import type { DownstreamItem } from '../../../../shared/downstream/types';
import { statusBadges } from './labels';

export function ItemBadges({ item }: { item: DownstreamItem }) {
  return (
    <span className="status-badges" data-testid="item-status">
      {statusBadges(item).map((b) => (
        <span key={b.label} className={`badge tone-${b.tone}`} title={b.title}>
          {b.label}
        </span>
      ))}
    </span>
  );
}
