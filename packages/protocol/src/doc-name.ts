/**
 * Public document names: what may appear after the host in `ws://HOST:PORT/<name>` and in
 * `/d/<name>`. ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit,
 * at most 128 characters. Everything else is refused (HTTP 400 at the relay), which keeps
 * names safe in URLs, file names, storage keys and logs without any escaping.
 */
export type DocName = string & { readonly __brand: 'DocName' };

export const DOC_NAME_MAX_LENGTH = 128;
const DOC_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `name` is not a valid document name, or null when it is one. */
export function docNameProblem(name: string): string | null {
  if (name.length === 0) return 'document name is empty';
  if (name.length > DOC_NAME_MAX_LENGTH) {
    return `document name is longer than ${DOC_NAME_MAX_LENGTH} characters`;
  }
  if (!DOC_NAME_PATTERN.test(name)) {
    return 'document name may only use letters, digits, ".", "_" and "-", starting with a letter or digit';
  }
  return null;
}

/** Returns `name` as a DocName, or throws an Error explaining what is wrong with it. */
export function parseDocName(name: string): DocName {
  const problem = docNameProblem(name);
  if (problem !== null) throw new Error(problem);
  return name as DocName;
}
