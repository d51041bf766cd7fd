/**
 * The relay's history API (apps/relay/src/history/history-routes.ts) from the browser. Every
 * call carries this tab's access token, so the relay applies the document's own rules.
 */
import type { DocumentSession } from '@weft/client';

export interface VersionAuthor {
  readonly id: string;
  readonly name: string;
}

export type VersionReason = 'interval' | 'idle' | 'named' | 'before-restore' | 'restore';

export interface VersionEntry {
  readonly id: string;
  readonly createdAt: number;
  readonly name?: string;
  readonly reason: VersionReason;
  readonly restoredFrom?: string;
  readonly authors: readonly VersionAuthor[];
  readonly chars: number;
}

export interface Version extends VersionEntry {
  readonly title: string;
  readonly text: string;
}

export interface AuthorEntry extends VersionAuthor {
  readonly color?: string;
}

/** A refusal or failure, with the relay's own words when it gave some. */
export class HistoryError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class HistoryApi {
  constructor(
    private readonly session: DocumentSession,
    private readonly docName: string,
    private readonly author: () => { name: string; color: string },
  ) {}

  list(): Promise<VersionEntry[]> {
    return this.call('GET', '/versions');
  }

  read(id: string): Promise<Version> {
    return this.call('GET', `/versions/${encodeURIComponent(id)}`);
  }

  name(name: string): Promise<VersionEntry> {
    return this.call('POST', '/versions', { name });
  }

  /** Stores the before-restore checkpoint; answers it and the version to apply. */
  prepareRestore(id: string): Promise<{ before: VersionEntry; version: Version }> {
    return this.call('POST', `/versions/${encodeURIComponent(id)}/restore`, { by: 'client' });
  }

  /** Records the state a restore applied in this browser produced (once it is saved). */
  recordRestore(id: string): Promise<VersionEntry> {
    return this.call('POST', '/versions', { restoredFrom: id });
  }

  async authors(): Promise<Map<number, AuthorEntry>> {
    const answer = await this.call<{ authors: Record<string, AuthorEntry> }>('GET', '/authors');
    return new Map(Object.entries(answer.authors).map(([id, author]) => [Number(id), author]));
  }

  private async call<T>(method: string, path: string, body?: object): Promise<T> {
    const token = this.session.getAccess().token;
    const response = await fetch(`/api/docs/${encodeURIComponent(this.docName)}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify({ ...body, author: this.author() }) }),
    });
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const message = (answer as { error?: unknown } | null)?.error;
      throw new HistoryError(
        response.status,
        typeof message === 'string' ? message : `the relay answered ${response.status}`,
      );
    }
    return answer as T;
  }
}
