/**
 * The history API, under the document's own access rules (read access lists and reads, write
 * access names and restores; in secured mode the same tokens as the WebSocket):
 *
 *   GET  /api/docs/<name>/versions               newest first: { id, createdAt, name?, reason,
 *                                                 restoredFrom?, authors: [{ id, name }], chars }
 *   POST /api/docs/<name>/versions               { "name": "v1" } names the current state once
 *                                                 the edits it covers are durable (201, entry);
 *                                                 { "restoredFrom": "<id>" } records the state a
 *                                                 browser-applied restore produced
 *   GET  /api/docs/<name>/versions/<id>          { …entry, title, text }
 *   POST /api/docs/<name>/versions/<id>/restore  the relay restores (restore.ts): 201 with the
 *                                                 new entry and `before`; with { "by": "client" }
 *                                                 it only stores the before-restore checkpoint
 *                                                 and answers { before, version }, and the
 *                                                 browser applies the change itself (so that
 *                                                 its user can undo it), then posts restoredFrom
 *   GET  /api/docs/<name>/authors                { authors: { "<clientId>": { id, name, color? } } }
 *
 * In local mode there are no tokens; a body may say who the user is (`author: { name,
 * color }`), as local mode believes presence.
 */
import type { IncomingMessage } from 'node:http';
import { docNameProblem } from '@weft/protocol';
import type { Author, CheckpointInfo, DocStore } from '@weft/storage';
import { LOCAL_PRINCIPAL } from '../admission';
import type { AuthKey, Principal } from '../auth';
import type { AuthenticateHook } from '../authentication';
import { docAccess, HttpError, jsonRoutes, type ApiAnswer } from '../doc-api-routes';
import type { Rooms } from '../rooms';
import { authorOfAwarenessState, authorOfPrincipal } from './authorship';
import { contentOfCheckpoint, restoreVersion } from './restore';

export interface HistoryRoutesDeps {
  readonly store: DocStore;
  readonly rooms: Rooms;
  /** Null (and no `authenticate` hook) is local mode. */
  readonly authKey: AuthKey | null;
  readonly authenticate?: AuthenticateHook | undefined;
}

const PATH = /^\/api\/docs\/([^/]+)\/(versions|authors)(?:\/([^/]+))?(?:\/(restore))?$/;
const MAX_BODY_BYTES = 16 * 1024;
const MAX_VERSION_NAME = 100;

/** True when `path` is one of the history routes (so the caller delegates it here). */
export function isHistoryPath(path: string): boolean {
  return PATH.test(path);
}

export function historyRoutes(deps: HistoryRoutesDeps) {
  return jsonRoutes(route);

  async function route(path: string, request: IncomingMessage): Promise<ApiAnswer> {
    const [, encodedName = '', collection, id, restore] = PATH.exec(path) ?? [];
    const docName = decodeName(encodedName);
    const problem = docNameProblem(docName);
    if (problem !== null) throw new HttpError(400, problem);
    const method = request.method ?? 'GET';
    if (collection === 'authors') {
      if (id !== undefined || restore !== undefined) throw new HttpError(404, 'not found');
      allowMethods(method, ['GET']);
      await docAccess(request, docName, deps, 'read');
      const table =
        deps.rooms.peek(docName)?.authorship.entries ?? (await deps.store.loadAuthors(docName));
      return { status: 200, body: { authors: Object.fromEntries(table) } };
    }
    if (id === undefined) {
      allowMethods(method, ['GET', 'POST']);
      if (method === 'GET') {
        await docAccess(request, docName, deps, 'read');
        const list = await deps.store.listCheckpoints(docName);
        return { status: 200, body: list.map(entryOf) };
      }
      const principal = await docAccess(request, docName, deps, 'write');
      const body = await readBody(request);
      return { status: 201, body: entryOf(await record(docName, body, principal)) };
    }
    const versionId = decodeName(id);
    if (restore === undefined) {
      allowMethods(method, ['GET']);
      await docAccess(request, docName, deps, 'read');
      const version = await deps.store.loadCheckpoint(docName, versionId);
      if (version === null) throw new HttpError(404, 'no such version');
      return { status: 200, body: { ...entryOf(version), ...contentOfCheckpoint(version) } };
    }
    allowMethods(method, ['POST']);
    const principal = await docAccess(request, docName, deps, 'write');
    const body = await readBody(request);
    const author = authorOf(principal, body);
    if (body.by === 'client') return prepareClientRestore(docName, versionId);
    const result = await restoreVersion(deps.rooms, deps.store, docName, versionId, author);
    if (!result.ok) throw new HttpError(404, 'no such version');
    return { status: 201, body: { ...entryOf(result.restored), before: entryOf(result.before) } };
  }

  /** `POST …/versions`: a named version, or the result of a browser-applied restore. */
  async function record(
    docName: string,
    body: Record<string, unknown>,
    principal: Principal,
  ): Promise<CheckpointInfo> {
    const author = authorOf(principal, body);
    const room = await deps.rooms.acquire(docName);
    try {
      if (typeof body.restoredFrom === 'string') {
        return await room.checkpointer.checkpoint('restore', {
          restoredFrom: body.restoredFrom,
          authors: [author],
        });
      }
      const name = typeof body.name === 'string' ? body.name.trim() : '';
      if (name === '' || name.length > MAX_VERSION_NAME) {
        throw new HttpError(400, `a version needs a name of 1–${MAX_VERSION_NAME} characters`);
      }
      return await room.checkpointer.checkpoint('named', { name });
    } finally {
      deps.rooms.release(room);
    }
  }

  /** The before-restore checkpoint, and the version the browser will apply. */
  async function prepareClientRestore(docName: string, versionId: string) {
    const room = await deps.rooms.acquire(docName);
    try {
      const version = await deps.store.loadCheckpoint(docName, versionId);
      if (version === null) throw new HttpError(404, 'no such version');
      const before = await room.checkpointer.checkpoint('before-restore', {
        restoredFrom: versionId,
      });
      return {
        status: 201,
        body: {
          before: entryOf(before),
          version: { ...entryOf(version), ...contentOfCheckpoint(version) },
        },
      };
    } finally {
      deps.rooms.release(room);
    }
  }
}

/** Who a change is by: the token's user, or in local mode who the body says. */
function authorOf(principal: Principal, body: Record<string, unknown>): Author {
  if (principal !== LOCAL_PRINCIPAL) return authorOfPrincipal(principal);
  return authorOfAwarenessState({ user: body.author }) ?? { id: 'local', name: 'Someone' };
}

/** What the list shows of a checkpoint (its size in bytes stays inside the relay). */
function entryOf(info: CheckpointInfo) {
  return {
    id: info.id,
    createdAt: info.createdAt,
    ...(info.name === undefined ? {} : { name: info.name }),
    reason: info.reason,
    ...(info.restoredFrom === undefined ? {} : { restoredFrom: info.restoredFrom }),
    authors: info.authors.map(({ id, name }) => ({ id, name })),
    chars: info.chars,
  };
}

function decodeName(encoded: string): string {
  let name;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    throw new HttpError(400, 'not valid URL encoding');
  }
  return name;
}

function allowMethods(method: string, allowed: readonly string[]): void {
  if (!allowed.includes(method)) throw new HttpError(405, 'method not allowed');
}

/** The request's JSON object body (empty: `{}`); 400 or 413 when it is not one. */
async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
