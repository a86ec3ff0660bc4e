import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render-markdown.js';

describe('renderMarkdown', () => {
  it('renders GitHub-flavoured Markdown', () => {
    expect(renderMarkdown('# Title\n\n**bold** _em_ ~~gone~~ `code`\n\n- a\n- b')).toBe(
      '<h1>Title</h1>\n<p><strong>bold</strong> <em>em</em> <del>gone</del> <code>code</code></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>',
    );
    expect(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |')).toContain('<td>1</td>');
  });

  it('opens links in a new tab without opener or referrer, whatever the author wrote', () => {
    expect(renderMarkdown('[docs](https://example.com "Docs")')).toBe(
      '<p><a href="https://example.com" title="Docs" rel="noopener noreferrer" target="_blank">docs</a></p>',
    );
    expect(renderMarkdown('<a href="https://example.com" rel="opener" target="_self">x</a>')).toContain(
      'rel="noopener noreferrer" target="_blank"',
    );
  });

  // Each of these tries to run script or restyle the host page; none may survive.
  const attacks = [
    '<script>alert(1)</script>',
    '<img src="https://example.com/x.png" onerror="alert(1)">',
    '<svg onload="alert(1)"><circle /></svg>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="javascript&#58;alert(1)">click</a>',
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name="password"></form>',
    '<p style="position:fixed;inset:0">overlay</p>',
    '<style>body{display:none}</style>',
    '<object data="https://evil.example/x.swf"></object>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<img src="http://example.com/insecure.png">',
    '<a href="//evil.example">protocol-relative</a>',
  ];
  for (const attack of attacks) {
    it(`neutralises ${attack.slice(0, 60)}`, () => {
      const html = renderMarkdown(attack);
      expect(html).not.toMatch(
        /<script|<svg|<iframe|<form|<input|<style|<object|<math|\son\w+=|javascript|data:|style=|\/\/evil|http:\/\//i,
      );
    });
  }
});
