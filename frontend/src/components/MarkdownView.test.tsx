import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { MarkdownView } from './MarkdownView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// The answer the system test AiOutputIsInertIT makes the fake model send (FAKE-HTML in
// e2e/fake-anthropic.mjs): the UI half of "model output is inert".
const HOSTILE_ANSWER = [
  'Careful output follows.',
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'onerror\'">',
  "[click me](javascript:window.__pwned='link')",
  '![tracker](https://evil.example/pixel.png)',
  '<a href="javascript:window.__pwned=\'a\'">raw link</a>',
  '<iframe src="https://evil.example/"></iframe>',
].join('\n\n');

afterEach(() => {
  document.body.innerHTML = '';
  delete (window as { __pwned?: string }).__pwned;
});

describe('MarkdownView with a hostile model answer', () => {
  it('renders it inert: no script, no handler, no javascript: link, no external fetch', async () => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    await act(async () => root.render(<MarkdownView text={HOSTILE_ANSWER} />));

    expect(host.textContent).toContain('Careful output follows.');
    expect(host.querySelector('script, iframe, object, embed')).toBeNull();
    host.querySelectorAll('*').forEach((el) => {
      for (const attr of Array.from(el.attributes)) {
        expect(attr.name.startsWith('on')).toBe(false);
        expect(attr.value.toLowerCase()).not.toContain('javascript:');
      }
    });
    const images = Array.from(host.querySelectorAll('img')).map((img) => img.getAttribute('src'));
    expect(images.every((src) => src !== null && !src.includes('evil.example'))).toBe(true);
    expect(host.innerHTML).not.toContain('evil.example');
    // Clicking what is left of the links runs nothing.
    host.querySelectorAll('a').forEach((a) => (a as HTMLAnchorElement).click());
    await new Promise((r) => setTimeout(r, 20));
    expect((window as { __pwned?: string }).__pwned).toBeUndefined();
    act(() => root.unmount());
  });
});
