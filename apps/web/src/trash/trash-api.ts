/**
 * The relay's trash endpoints (apps/relay/src/trash-routes.ts). In secured mode each call
 * goes with the tokens this browser holds until one is accepted (each token grants its own
 * documents); in local mode there are none and it goes without.
 */

export interface TrashedDoc {
  readonly name: string;
  readonly title: string | null;
  readonly modified: number;
  readonly trashedAt: number;
  /** When the relay deletes it for good. */
  readonly deleteAfter: number;
}

/** The relay refused or failed a trash request; `message` is its own words. */
export class TrashError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'TrashError';
  }
}

const docPath = (name: string) => `/api/docs/${encodeURIComponent(name)}`;

/** Moves `name` to the trash: its open editors are closed and say so. */
export function moveToTrash(name: string, tokens: readonly string[]): Promise<unknown> {
  return call('DELETE', docPath(name), tokens);
}

export function restoreFromTrash(name: string, tokens: readonly string[]): Promise<unknown> {
  return call('POST', `${docPath(name)}/restore`, tokens);
}

/** Deletes `name` and its history for good. */
export function deleteForGood(name: string, tokens: readonly string[]): Promise<unknown> {
  return call('DELETE', `/api/trash/${encodeURIComponent(name)}`, tokens);
}

/** Every trashed document one of `tokens` may change, most recently trashed first. */
export async function fetchTrash(tokens: readonly string[]): Promise<TrashedDoc[]> {
  const answers = await Promise.allSettled(
    (tokens.length === 0 ? [null] : tokens).map((token) => send('GET', '/api/trash', token)),
  );
  const merged = new Map<string, TrashedDoc>();
  let failure: unknown = null;
  for (const answer of answers) {
    if (answer.status === 'rejected') {
      failure ??= answer.reason;
      continue;
    }
    const docs = (answer.value as { docs?: unknown } | null)?.docs;
    if (!Array.isArray(docs)) continue;
    for (const doc of docs.filter(isTrashedDoc)) merged.set(doc.name, doc);
  }
  if (merged.size === 0 && failure !== null) throw asError(failure);
  return [...merged.values()].sort((a, b) => b.trashedAt - a.trashedAt);
}

/** Tries each token in turn while the relay refuses it (401/403); the last refusal throws. */
async function call(method: string, path: string, tokens: readonly string[]): Promise<unknown> {
  const tries = tokens.length === 0 ? [null] : tokens;
  let refusal: unknown = null;
  for (const token of tries) {
    try {
      return await send(method, path, token);
    } catch (error) {
      if (!(error instanceof TrashError) || (error.status !== 401 && error.status !== 403)) {
        throw error;
      }
      refusal = error;
    }
  }
  throw asError(refusal);
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

async function send(method: string, path: string, token: string | null): Promise<unknown> {
  const response = await fetch(path, {
    method,
    cache: 'no-store',
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (answer as { error?: unknown } | null)?.error;
    throw new TrashError(
      response.status,
      typeof message === 'string' ? message : `the server answered ${response.status}`,
    );
  }
  return answer;
}

function isTrashedDoc(value: unknown): value is TrashedDoc {
  if (typeof value !== 'object' || value === null) return false;
  const { name, title, modified, trashedAt, deleteAfter } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    (title === null || typeof title === 'string') &&
    typeof modified === 'number' &&
    typeof trashedAt === 'number' &&
    typeof deleteAfter === 'number'
  );
}
