// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render-markdown';
import { taskMarkOnLine } from './task-lists';

function render(source: string): HTMLElement {
  const host = document.createElement('div');
  host.append(renderMarkdown(source).fragment);
  return host;
}

/** Everything through which a page can run script or leave the preview's box. */
const DANGEROUS_TAGS = [
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'meta',
  'link',
  'style',
  'form',
  'button',
  'textarea',
  'select',
  'template',
  'noscript',
  'portal',
];
const URL_ATTRIBUTES = [
  'href',
  'src',
  'xlink:href',
  'action',
  'formaction',
  'data',
  'poster',
  'srcset',
];

/** Asserts that nothing under `host` could run script when inserted into a live page. */
function expectInert(host: HTMLElement): void {
  for (const element of host.querySelectorAll('*')) {
    expect(DANGEROUS_TAGS, element.outerHTML).not.toContain(element.localName);
    for (const attribute of element.attributes) {
      expect(attribute.name, element.outerHTML).not.toMatch(/^on/i);
      expect(attribute.name, element.outerHTML).not.toBe('style');
      expect(attribute.name, element.outerHTML).not.toBe('srcdoc');
      if (URL_ATTRIBUTES.includes(attribute.name)) {
        // Browsers ignore control characters and whitespace inside a URL's scheme.
        // eslint-disable-next-line no-control-regex
        const scheme = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
        expect(scheme, element.outerHTML).not.toMatch(/^(javascript|vbscript|data:text\/html)/);
      }
    }
  }
}

describe('[preview] nothing in a document can run script', () => {
  const attacks: readonly (readonly [string, string])[] = [
    ['img onerror', '<img src=x onerror="window.__pwned = 1">'],
    ['script tag', '<script>window.__pwned = 1</script>'],
    ['script split over a block', 'text\n\n<script>\nwindow.__pwned = 1\n</script>\n'],
    ['markdown javascript: link', '[click me](javascript:window.__pwned=1)'],
    ['markdown javascript: autolink', '<javascript:window.__pwned=1>'],
    ['html javascript: link', '<a href="javascript:window.__pwned=1">click</a>'],
    [
      'mixed-case, entity-encoded javascript:',
      '<a href="&#106;a&#x56;ascript&#58;window.__pwned=1">x</a>',
    ],
    ['javascript: with a tab in the scheme', '<a href="java\tscript:window.__pwned=1">x</a>'],
    ['javascript: image', '![x](javascript:window.__pwned=1)'],
    ['iframe with srcdoc', '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'],
    ['iframe with javascript: src', '<iframe src="javascript:parent.__pwned=1"></iframe>'],
    ['svg onload', '<svg onload="window.__pwned=1"><circle r="5"/></svg>'],
    ['svg script', '<svg><script>window.__pwned=1</script></svg>'],
    [
      'svg animate onbegin',
      '<svg><animate onbegin="window.__pwned=1" attributeName="x" dur="1s"/></svg>',
    ],
    [
      'svg javascript: xlink',
      '<svg><a xlink:href="javascript:window.__pwned=1"><text>x</text></a></svg>',
    ],
    ['math mutation', '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>'],
    ['object and embed', '<object data="javascript:window.__pwned=1"></object><embed src="x.swf">'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">'],
    ['base href', '<base href="javascript:window.__pwned=1//">'],
    [
      'form with formaction',
      '<form><button formaction="javascript:window.__pwned=1">go</button></form>',
    ],
    ['data: html link', '<a href="data:text/html,<script>window.__pwned=1</script>">x</a>'],
    ['details ontoggle', '<details open ontoggle="window.__pwned=1">x</details>'],
    ['inline html in a paragraph', 'Hello <b onclick="window.__pwned=1">bold</b> world'],
    ['style tag and attribute', '<style>body{display:none}</style><p style="position:fixed">x</p>'],
  ];

  for (const [name, source] of attacks) {
    it(`${name} is rendered inert`, () => {
      const host = render(source);
      expectInert(host);
      expect(host.innerHTML).not.toMatch(/__pwned=1"|onerror|onload|onbegin|ontoggle|onclick/);
    });
  }

  it('keeps what the attacks wrapped: the image, the link text, the bold word', () => {
    const host = render(
      '<img src="cat.png" onerror="x()" alt="cat"> <a href="javascript:x()">click</a> **bold**',
    );
    expect(host.querySelector('img')?.getAttribute('src')).toBe('cat.png');
    expect(host.textContent).toContain('click');
    expect(host.querySelector('strong')?.textContent).toBe('bold');
  });

  it('links open in a new tab with no opener', () => {
    const link = render('[Weft](https://example.com/)').querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toContain('noopener');
  });

  it('ids from the document cannot collide with the page’s own', () => {
    const host = render('<p id="root" name="title">x</p>');
    expect(host.querySelector('#root')).toBeNull();
    expect(host.querySelector('p')?.id).toBe('user-content-root');
  });

  it('an <input> written as raw HTML cannot pose as a task checkbox', () => {
    const host = render(
      '<input type="checkbox" data-task="0" data-task-key="guess">\n\n- [ ] real',
    );
    const boxes = host.querySelectorAll('input');
    expect(boxes).toHaveLength(1);
    expect(boxes[0]?.closest('li')?.textContent).toContain('real');
  });
});

describe('[preview] GitHub-flavoured Markdown', () => {
  it('renders tables, with alignment as classes', () => {
    const host = render('| a | b |\n|:--|--:|\n| 1 | 2 |\n');
    expect(host.querySelectorAll('table td')).toHaveLength(2);
    expect(host.querySelector('td')?.className).toBe('align-left');
    expect(host.querySelectorAll('td')[1]?.className).toBe('align-right');
  });

  it('renders strikethrough and autolinks bare URLs', () => {
    const host = render(
      '~~gone~~ see https://example.com/page and www.example.org, mail a@example.com, not notes.md',
    );
    expect(host.querySelector('s')?.textContent).toBe('gone');
    const hrefs = [...host.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual([
      'https://example.com/page',
      'http://www.example.org',
      'mailto:a@example.com',
    ]);
  });

  it('renders task lists as labelled checkboxes and finds each mark in the source', () => {
    const source =
      '# Plan\n\n- [ ] write\n- [x] read `docs`\n  1. [X] nested\n> - [ ] quoted\n- not a task\n- [y] nor this\n';
    const { fragment, tasks } = renderMarkdown(source);
    const host = document.createElement('div');
    host.append(fragment);
    const boxes = [...host.querySelectorAll<HTMLInputElement>('input.task-checkbox')];
    expect(boxes.map((box) => box.checked)).toEqual([false, true, true, false]);
    expect(boxes.map((box) => box.getAttribute('aria-label'))).toEqual([
      'write',
      'read docs',
      'nested',
      'quoted',
    ]);
    expect(boxes.map((box) => box.dataset.task)).toEqual(['0', '1', '2', '3']);
    expect(tasks.map((task) => source[task.offset])).toEqual([' ', 'x', 'X', ' ']);
    expect(tasks.map((task) => source.slice(task.offset - 1, task.offset + 2))).toEqual([
      '[ ]',
      '[x]',
      '[X]',
      '[ ]',
    ]);
    expect(tasks.map((task) => task.line)).toEqual([2, 3, 4, 5]);
    expect(host.textContent).toContain('[y] nor this');
    expect(host.querySelectorAll('li.task-list-item')).toHaveLength(4);
  });

  it('a task whose item starts on the next line is found on that line', () => {
    const source = '-\n  [ ] later\n';
    const { tasks } = renderMarkdown(source);
    expect(tasks).toEqual([{ offset: source.indexOf('[') + 1, checked: false, line: 1 }]);
  });

  it('marks each block with its first source line', () => {
    const host = render('# One\n\npara\n\n```\ncode\n```\n\n- item\n');
    const lines = [...host.querySelectorAll('[data-line]')].map((el) => [
      el.localName,
      el.getAttribute('data-line'),
    ]);
    expect(lines).toEqual([
      ['h1', '0'],
      ['p', '2'],
      ['code', '4'],
      ['ul', '8'],
      ['li', '8'],
    ]);
  });
});

describe('taskMarkOnLine', () => {
  it('finds the mark after bullets, numbers and quotes', () => {
    expect(taskMarkOnLine('- [ ] a')).toBe(3);
    expect(taskMarkOnLine('  12) [x] a')).toBe(7);
    expect(taskMarkOnLine('> * [ ]')).toBe(5);
    expect(taskMarkOnLine('-[ ] a')).toBeNull();
    expect(taskMarkOnLine('- [ ]a')).toBeNull();
    expect(taskMarkOnLine('text [ ] a')).toBeNull();
  });
});
