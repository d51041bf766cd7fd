/**
 * Downloading the document: as Markdown (`.md`, the text as written) or as plain text
 * (`.txt`, the Markdown syntax taken out so it reads well anywhere).
 */

/**
 * Markdown to readable plain text: headings, emphasis, code fences, quotes, images and link
 * syntax are removed; list markers become bullets; the words stay exactly as written. It is
 * line-based on purpose: predictable for any input, never loses text.
 */
export function markdownToPlainText(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let inFence = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    // Horizontal rules and setext underlines carry no words.
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line) || /^\s*=+\s*$/.test(line)) {
      out.push('');
      continue;
    }
    out.push(inline(blockPrefix(line)));
  }
  return out.join('\n');
}

function blockPrefix(line: string): string {
  return line
    .replace(/^(\s*>)+\s?/, '')
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/\s+#+\s*$/, '')
    .replace(
      /^(\s*)[-*+]\s+\[( |x|X)\]\s+/,
      (_m, indent: string, done: string) => `${indent}${done === ' ' ? '☐' : '☑'} `,
    )
    .replace(/^(\s*)[-*+]\s+/, '$1• ');
}

function inline(text: string): string {
  return (
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, url: string) =>
        label === url ? url : `${label} (${url})`,
      )
      .replace(/<(https?:\/\/[^>]+)>/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
      .replace(/(?<![\p{L}\p{N}])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}])/gu, '$1')
      .replace(/\*(?=\S)(.+?)(?<=\S)\*/g, '$1')
      // Underscores inside words (snake_case) are not emphasis in Markdown.
      .replace(/(?<![\p{L}\p{N}])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}])/gu, '$1')
      .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
  );
}

/** A safe file name from the title (or the document name), with the extension. */
export function exportFileName(title: string, docName: string, extension: 'md' | 'txt'): string {
  const base = (title.trim() === '' ? docName : title)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return `${base === '' ? 'document' : base}.${extension}`;
}

/** Starts a download of `text` in the browser. */
export function downloadText(text: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoke later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
