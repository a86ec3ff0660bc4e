import type { LumioEngine } from '@lumio/sdk';
import type { AnnouncementsAnswer } from '@lumio/protocol/browser';
import type { AnnouncementsApi, AnnouncementsStore } from './announcements-store.js';

/** The widget API's announcement calls, made through the SDK engine (session token, ordering after identify, console hints). */
export function engineAnnouncementsApi(engine: LumioEngine): AnnouncementsApi {
  return {
    list: () => engine.call<AnnouncementsAnswer>('announcements', (t, token) => t.get('announcements', token)),
    send: (id, type) =>
      engine.call<{ ok: true }>('announcementEvent', (t, token) =>
        t.post(`announcements/${encodeURIComponent(id)}/events`, { type }, token),
      ),
    identity: () => engine.anonymousId,
    record: (name, ...props) => engine.record(name, ...props),
  };
}

/**
 * Keeps the store in step with the engine: fetches once the session is
 * ready, after every identify and after logout, and drops what the previous
 * identity saw on logout. Returns a function that stops following.
 */
export function followEngine(engine: LumioEngine, store: AnnouncementsStore): () => void {
  const stops = [
    engine.on('ready', () => void store.refresh()),
    engine.on('stateChange', ({ state }) => {
      // Signed out, or an identify refused: nothing of the user's stays on screen while the new answer comes.
      if (state !== 'anonymous') return;
      store.clear();
      void store.refresh();
    }),
    // Every identify, also one that changed only the profile (a new plan can change the audience).
    engine.on('identify', () => void store.refresh()),
    engine.on('reset', () => {
      store.clear();
      void store.refresh();
    }),
  ];
  // widget.js adopting the engine createLumio started earlier: its `ready` has passed already.
  if (engine.isReady) void store.refresh();
  return () => stops.forEach((stop) => stop());
}
