import { useEffect, type RefObject } from 'react';
import type { Rect } from '../../../../shared/launch-types';

/**
 * Reports where an element sits in the window (CSS pixels, what WebContentsView bounds use)
 * whenever that can change: its own size, the window's size, or the page scrolling. null when
 * `show` is false and when the element goes away, so the native view never covers anything else.
 */
export function useViewport(ref: RefObject<HTMLElement | null>, show: boolean, report: (rect: Rect | null) => void, coveredTop: () => number = () => 0) {
  useEffect(() => {
    const el = ref.current;
    if (!el || !show) {
      report(null);
      return;
    }
    let frame = 0;
    const send = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const r = el.getBoundingClientRect();
        // Clipped to what the page shows: a native view drawn over the sticky header would hide it.
        const top = Math.max(r.top, coveredTop(), 0);
        const bottom = Math.min(r.bottom, window.innerHeight);
        report({ x: r.left, y: top, width: r.width, height: Math.max(0, bottom - top) });
      });
    };
    send();
    const observer = new ResizeObserver(send);
    observer.observe(el);
    observer.observe(document.body);
    window.addEventListener('resize', send);
    window.addEventListener('scroll', send, { capture: true, passive: true });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener('resize', send);
      window.removeEventListener('scroll', send, { capture: true });
      report(null);
    };
  }, [ref, show, report, coveredTop]);
}
