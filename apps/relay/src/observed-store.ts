/**
 * A DocStore that reports every successful append (the relay's only way of writing edits),
 * so the live document feed hears of created, retitled and edited documents exactly when
 * their writes are durable, with the store's own `DocInfo`, without a hook in rooms or the
 * persister. Everything else — including methods beyond the DocStore interface that a store
 * such as ClusterStore has — goes to the store unchanged.
 */
import type { DocInfo, DocStore } from '@weft/storage';

export function observedStore<S extends DocStore>(
  store: S,
  onAppended: (info: DocInfo) => void,
): S {
  const append: DocStore['append'] = async (name, updates, options) => {
    const info = await store.append(name, updates, options);
    try {
      onAppended(info);
    } catch {
      // The write is stored whatever a listener does; the feed is best effort.
    }
    return info;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
