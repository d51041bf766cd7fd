import { runDocStoreContract } from './contract';
import { MemoryDocStore } from './memory-store';

runDocStoreContract('MemoryDocStore', () => {
  const store = new MemoryDocStore();
  return Promise.resolve({ store, cleanup: () => store.close() });
});
