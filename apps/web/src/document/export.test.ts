import { describe, expect, it } from 'vitest';
import { exportFileName, markdownToPlainText } from './export';

describe('markdownToPlainText', () => {
  it('removes heading, emphasis and code marks but keeps every word', () => {
    const md = '# Title\n\nSome **bold**, *italic*, __strong__, _em_, ~~gone~~ and `code`.';
    expect(markdownToPlainText(md)).toBe('Title\n\nSome bold, italic, strong, em, gone and code.');
  });

  it('turns links into "label (url)" and images into their alt text', () => {
    expect(markdownToPlainText('See [the docs](https://x.dev) ![a cat](cat.png)')).toBe(
      'See the docs (https://x.dev) a cat',
    );
    expect(markdownToPlainText('[https://x.dev](https://x.dev) <https://y.dev>')).toBe(
      'https://x.dev https://y.dev',
    );
  });

  it('keeps lists readable and quotes plain', () => {
    const md = '- one\n  * nested\n- [ ] todo\n- [x] done\n1. first\n> quoted\n> > deeper';
    expect(markdownToPlainText(md)).toBe(
      '• one\n  • nested\n☐ todo\n☑ done\n1. first\nquoted\ndeeper',
    );
  });

  it('leaves code blocks as written, without the fences', () => {
    expect(markdownToPlainText('```js\nconst a = **b**;\n```\nafter')).toBe(
      'const a = **b**;\nafter',
    );
  });

  it('does not treat underscores inside words or lone asterisks as emphasis', () => {
    expect(markdownToPlainText('snake_case_name and 2 * 3 * 4')).toBe(
      'snake_case_name and 2 * 3 * 4',
    );
  });

  it('drops rules and normalises line endings', () => {
    expect(markdownToPlainText('a\r\n---\r\nb')).toBe('a\n\nb');
  });
});

describe('exportFileName', () => {
  it('uses the title, made safe for every file system', () => {
    expect(exportFileName('Launch plan: Q3/Q4?', 'doc', 'md')).toBe('Launch-plan-Q3Q4.md');
    expect(exportFileName('Café crème', 'doc', 'txt')).toBe('Cafe-creme.txt');
  });

  it('falls back to the document name, then to "document"', () => {
    expect(exportFileName('  ', 'amber-river-1234', 'md')).toBe('amber-river-1234.md');
    expect(exportFileName('???', 'x', 'md')).toBe('document.md');
  });
});
