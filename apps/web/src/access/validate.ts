/**
 * What the access prompts accept: a pasted share link or token, checked as far as the client
 * can (shape, expiry, which documents it grants) so a wrong paste is explained at once. The
 * relay still verifies the signature.
 */
import { decodeAccessToken, docPatternMatches, isExpired, tokenFromText } from '@weft/client';

export type PastedToken =
  | { readonly ok: true; readonly token: string; readonly doc: string }
  | { readonly ok: false; readonly error: string };

/**
 * Checks pasted text; with `docName`, the token must grant that document.
 *
 * @example
 *   readPastedToken('https://weft.example/d/notes#token=eyJ…', 'notes');
 */
export function readPastedToken(
  text: string,
  docName: string | null,
  now: number = Date.now(),
): PastedToken {
  if (text.trim() === '') return { ok: false, error: 'Paste the share link you were given.' };
  const token = tokenFromText(text);
  const claims = token === null ? null : decodeAccessToken(token);
  if (token === null || claims === null) {
    return {
      ok: false,
      error: 'That is not a Weft share link (those end in #token=…).',
    };
  }
  if (docName !== null && !docPatternMatches(claims.doc, docName)) {
    const what = claims.doc.endsWith('*')
      ? `documents whose names start with “${claims.doc.slice(0, -1)}”`
      : `“${claims.doc}”`;
    return { ok: false, error: `That link is for ${what}, not for this document.` };
  }
  if (isExpired(claims, now)) {
    return { ok: false, error: 'That link has expired too. Ask for a fresh one.' };
  }
  return { ok: true, token, doc: claims.doc };
}
