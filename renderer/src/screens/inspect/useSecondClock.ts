import { useEffect, useState } from 'react';

/**
 * Date.now(), renewed at each whole second while mounted. exp is a whole second, so a countdown
 * read from this changes exactly when its text should, not up to a second late.
 */
export function useSecondClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const at = Date.now();
      setNow(at);
      // A few ms past the boundary, so a timer that fires early still lands in the new second.
      timer = setTimeout(tick, 1000 - (at % 1000) + 5);
    };
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    return () => clearTimeout(timer);
  }, []);
  return now;
}
