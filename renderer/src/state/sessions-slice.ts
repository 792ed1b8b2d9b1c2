import type { Rect, SessionAction, SessionInfo } from '../../../shared/launch-types';
import { errorMessage } from './errors';
import type { SliceCreator } from './types';

export type SessionsErrorSlot = 'list' | 'control' | 'submission';

export interface SubmissionPreview {
  sessionId: string;
  label: string;
  /** undefined while the request is out. */
  data?: unknown;
}

export interface SessionsSlice {
  sessions: SessionInfo[];
  sessionErrors: Partial<Record<SessionsErrorSlot, string>>;
  submissionPreview: SubmissionPreview | null;

  loadSessions(): Promise<void>;
  /** A sessions.changed event: the sessions as they are now. */
  sessionsChanged(sessions: SessionInfo[]): void;
  controlSession(id: string, action: SessionAction, url?: string): Promise<void>;
  setSessionViewport(rect: Rect | null): Promise<void>;
  previewSubmission(id: string): Promise<void>;
  closeSubmissionPreview(): void;
  clearSessionError(slot: SessionsErrorSlot): void;
}

const sameRect = (a: Rect | null, b: Rect | null) =>
  a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);

/** Cheap equality so news that changes nothing does not re-render the strip. */
function sameSessions(a: SessionInfo[], b: SessionInfo[]): boolean {
  return a.length === b.length && a.every((s, i) => JSON.stringify(s) === JSON.stringify(b[i]));
}

export const createSessionsSlice: SliceCreator<SessionsSlice> = (set, get, api) => {
  const setError = (slot: SessionsErrorSlot, message: string | undefined) => set((s) => ({ sessionErrors: { ...s.sessionErrors, [slot]: message } }));
  // The last rect sent, so scroll and resize storms become one call per real change.
  let lastRect: Rect | null = null;
  let sentOnce = false;

  // The host reports the runner's answer after the launch call returned, so the history shown
  // since then lacks it until told.
  const takeSessions = (sessions: SessionInfo[]) => {
    const before = get().sessions;
    if (!sameSessions(before, sessions)) set({ sessions });
    for (const s of sessions) {
      if (s.answer && s.historyId && !before.some((b) => b.id === s.id && b.answer)) void get().historyAnswered(s.historyId, s.answer);
    }
  };

  return {
    sessions: [],
    sessionErrors: {},
    submissionPreview: null,

    sessionsChanged: (sessions) => takeSessions(sessions),

    async loadSessions() {
      try {
        takeSessions(await api.sessions.list());
        if (get().sessionErrors.list) setError('list', undefined);
      } catch (err) {
        setError('list', errorMessage(err));
      }
    },

    async controlSession(id, action, url) {
      setError('control', undefined);
      try {
        takeSessions(await api.sessions.control(id, action, url));
      } catch (err) {
        setError('control', errorMessage(err));
      }
    },

    async setSessionViewport(rect) {
      const r = rect && {
        x: Math.round(rect.x),
        y: Math.round(rect.y),
        width: Math.max(0, Math.round(rect.width)),
        height: Math.max(0, Math.round(rect.height)),
      };
      if (sentOnce && sameRect(r, lastRect)) return;
      lastRect = r;
      sentOnce = true;
      try {
        await api.sessions.setViewport(r);
      } catch (err) {
        setError('control', errorMessage(err));
      }
    },

    async previewSubmission(id) {
      const session = get().sessions.find((s) => s.id === id);
      set({ submissionPreview: { sessionId: id, label: session?.title || session?.label || id } });
      setError('submission', undefined);
      try {
        const data = await api.sessions.previewSubmission(id);
        if (get().submissionPreview?.sessionId === id) set({ submissionPreview: { ...get().submissionPreview!, data } });
      } catch (err) {
        if (get().submissionPreview?.sessionId === id) setError('submission', errorMessage(err));
      }
    },

    closeSubmissionPreview() {
      set({ submissionPreview: null });
      setError('submission', undefined);
    },

    clearSessionError: (slot) => setError(slot, undefined),
  };
};
