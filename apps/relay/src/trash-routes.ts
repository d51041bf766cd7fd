/**
 * The trash over HTTP (trash.ts), each with write access to the document (in local mode
 * everyone has it; in secured mode the same tokens as the WebSocket):
 *
 *   DELETE /api/docs/<name>          moves it to the trash: { name, trashedAt }; its open
 *                                    connections close with 4404
 *   POST   /api/docs/<name>/restore  takes it out of the trash: { name }. With
 *          ?fromDevice=1             (a browser restoring from its own copy) for a name
 *                                    deleted for good it clears the tombstone instead:
 *                                    { name, recreated: true }, and that browser's next
 *                                    connection starts the document again
 *   GET    /api/trash                { docs: [{ name, title, modified, size, trashedAt,
 *                                    deleteAfter }] }, in secured mode only those the token
 *                                    may change
 *   DELETE /api/trash/<name>         deletes it and its history for good: { name }; 409
 *                                    when it is not in the trash. Its name keeps a
 *                                    tombstone for the retention: connections get 4410
 *
 * 404 for a document that was never stored, 400 for an invalid name.
 */
import type { IncomingMessage } from 'node:http';
import { docNameProblem } from '@weft/protocol';
import { LOCAL_PRINCIPAL } from './admission';
import { docMatches, type AuthKey } from './auth';
import { isOpen, principalFor, type AuthenticateHook } from './authentication';
import { docAccess, jsonRoutes, type ApiAnswer } from './doc-api-routes';
import type { Trash } from './trash';

export interface TrashRoutesDeps {
  readonly trash: Trash;
  /** Null (and no `authenticate` hook) is local mode. */
  readonly authKey: AuthKey | null;
  readonly authenticate?: AuthenticateHook | undefined;
}

const DOC_PATH = /^\/api\/docs\/([^/]+)(\/restore)?$/;
const TRASH_PATH = /^\/api\/trash(?:\/([^/]+))?$/;

/** True when `path` is one of the trash routes (so the caller delegates it here). */
export function isTrashPath(path: string, method: string | undefined): boolean {
  if (TRASH_PATH.test(path)) return true;
  const match = DOC_PATH.exec(path);
  if (match === null) return false;
  return match[2] === undefined ? method === 'DELETE' : true;
}

export function trashRoutes(deps: TrashRoutesDeps) {
  const { trash } = deps;
  return jsonRoutes(route);

  async function route(path: string, request: IncomingMessage): Promise<ApiAnswer> {
    const method = request.method ?? 'GET';
    const inTrash = TRASH_PATH.exec(path);
    if (inTrash !== null && inTrash[1] === undefined) {
      if (method !== 'GET') return refusal(405, 'method not allowed');
      return { status: 200, body: { docs: await visibleTrash(request) } };
    }
    const docPath = inTrash ?? DOC_PATH.exec(path) ?? [];
    const name = decodeName(docPath[1] ?? '');
    if (name === null) return refusal(400, 'not valid URL encoding');
    const problem = docNameProblem(name);
    if (problem !== null) return refusal(400, problem);
    const restoring = inTrash === null && docPath[2] !== undefined;
    if (method !== (restoring ? 'POST' : 'DELETE')) return refusal(405, 'method not allowed');
    await docAccess(request, name, deps, 'write');

    if (restoring) {
      const restored = await trash.restore(name, fromDevice(request));
      if (restored === false) return refusal(404, 'no such document');
      return { status: 200, body: restored === 'recreated' ? { name, recreated: true } : { name } };
    }
    if (inTrash === null) {
      if (!(await trash.moveToTrash(name))) return refusal(404, 'no such document');
      return { status: 200, body: { name } };
    }
    if (!(await trash.isTrashed(name))) {
      return refusal(409, 'only a document in the trash can be deleted for good');
    }
    return (await trash.deleteForGood(name))
      ? { status: 200, body: { name } }
      : refusal(404, 'no such document');
  }

  /** The trash, in secured mode only the documents this request may change. */
  async function visibleTrash(request: IncomingMessage) {
    const entries = await trash.list();
    if (isOpen(deps)) return entries;
    const principal = await principalFor(request, null, deps, LOCAL_PRINCIPAL);
    if (principal.role !== 'write') return [];
    return entries.filter((entry) => docMatches(principal.docPattern, entry.name));
  }
}

/** `?fromDevice=1`: the restore comes from a device's own copy (DocumentSession). */
function fromDevice(request: IncomingMessage): boolean {
  const query = (request.url ?? '').split('?')[1] ?? '';
  return new URLSearchParams(query).get('fromDevice') === '1';
}

function refusal(status: number, error: string) {
  return { status, body: { error } };
}

function decodeName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}
