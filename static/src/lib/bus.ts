// bus: fan live events out to whichever screens are listening ('*' hears everything).
import type { LiveEvent } from './live';

type Handler = (ev: LiveEvent) => void;

export class Bus {
  private handlers = new Map<string, Set<Handler>>();

  on(type: string, fn: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) { set = new Set(); this.handlers.set(type, set); }
    set.add(fn);
    return () => { set!.delete(fn); };
  }

  emit(ev: LiveEvent) {
    for (const key of [ev.type, ev.type.split('.')[0] + '.*', '*']) {
      this.handlers.get(key)?.forEach((fn) => {
        try { fn(ev); } catch (e) { console.error('live handler', e); }
      });
    }
  }
}
