import { useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';

/** Fixed, so the virtualizer never has to measure a row (TanStack's virtualized-rows example). */
export const ROW_HEIGHT = 34;
/** Up to this many rows are plain DOM (and may grow to show multi-line values); past it, only the rows in view exist. */
export const VIRTUALIZE_OVER = 200;

/**
 * The rows a long table renders: every one up to VIRTUALIZE_OVER, past it only those in view in
 * scrollRef and `overscan` more, each with its index and, when virtual, its offset from the top.
 */
export function useRowWindow<I>(
  items: I[],
  scrollRef: RefObject<HTMLDivElement | null>,
  options: { overscan: number; getItemKey?: (index: number) => string },
) {
  const virtual = items.length > VIRTUALIZE_OVER;
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: options.overscan,
    enabled: virtual,
    // Given only when set: an undefined key function would replace the virtualizer's default.
    ...(options.getItemKey ? { getItemKey: options.getItemKey } : {}),
  });
  const shown = virtual
    ? virtualizer.getVirtualItems().map((v) => ({ item: items[v.index]!, index: v.index, start: v.start }))
    : items.map((item, index) => ({ item, index, start: 0 }));
  return { virtual, virtualizer, shown };
}
