import { useMemo } from 'react';
import type { LaunchOutcome } from '../../state/launch-slice';
import { useConsole } from '../../state/store';

/** Browser mode cannot embed a session: the page opens it in a tab of the user's own browser. */
export function useLaunchMode(): 'embedded' | 'tab' {
  return useConsole((s) => (s.info?.mode === 'browser' ? 'tab' : 'embedded'));
}

/**
 * Launch and relaunch as the click handlers need them. window.open runs in the same click's
 * flow (after the service answers): a tab opened later than the click's user activation would
 * be blocked as a pop-up.
 */
export function useLaunchActions() {
  const how = useLaunchMode();
  const launch = useConsole((s) => s.launch);
  const relaunch = useConsole((s) => s.relaunch);

  return useMemo(() => {
    const openTab = (outcome: LaunchOutcome | null) => {
      if (outcome && outcome.how === 'tab') window.open(outcome.result.entry.url, '_blank', 'noopener');
      return outcome;
    };
    return {
      how,
      launch: async () => openTab(await launch(how)),
      relaunch: async (historyId: string) => openTab(await relaunch(historyId, how)),
    };
  }, [how, launch, relaunch]);
}
