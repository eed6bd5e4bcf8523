import { Marked } from 'marked';
import DOMPurify from 'dompurify';

// Model output is untrusted: it may carry <script>, event handlers, javascript: links, or images
// that would leak data to another host when fetched. Render with marked, then sanitize with an
// allow-list; images survive only when same-origin or data:image.
const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  'a',
  'b',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'input',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
  'div',
];
const ALLOWED_ATTR = [
  'href',
  'title',
  'alt',
  'src',
  'class',
  'type',
  'checked',
  'disabled',
  'align',
  'start',
];

let hooked = false;

function isSafeImageSrc(src: string, origin: string): boolean {
  const s = src.trim();
  if (/^data:image\/(png|gif|jpe?g|webp);/i.test(s)) return true;
  try {
    const url = new URL(s, origin + '/');
    return url.origin === origin && (url.protocol === 'http:' || url.protocol === 'https:');
  } catch {
    return false;
  }
}

function installHooks(origin: () => string) {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName === 'IMG') {
      const src = el.getAttribute('src') ?? '';
      if (!isSafeImageSrc(src, origin())) {
        const alt = el.getAttribute('alt');
        const span = el.ownerDocument.createElement('span');
        span.className = 'md-blocked-image';
        span.textContent = `[image blocked${alt ? `: ${alt}` : ''}]`;
        el.replaceWith(span);
        return;
      }
      el.setAttribute('loading', 'lazy');
      el.setAttribute('referrerpolicy', 'no-referrer');
    }
    if (el.tagName === 'A') {
      const href = el.getAttribute('href') ?? '';
      if (!/^(https?:|mailto:|#|\/)/i.test(href.trim())) el.removeAttribute('href');
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer nofollow');
    }
    if (el.tagName === 'INPUT') {
      if (el.getAttribute('type') !== 'checkbox') el.remove();
      else el.setAttribute('disabled', '');
    }
  });
}

/** Markdown → sanitized HTML, safe to assign to innerHTML. */
export function renderMarkdown(
  markdown: string,
  origin: string = globalThis.location?.origin ?? 'null',
): string {
  installHooks(() => currentOrigin);
  currentOrigin = origin;
  const html = marked.parse(markdown) as string;
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: [...ALLOWED_ATTR, 'target', 'rel', 'loading', 'referrerpolicy'],
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    FORBID_TAGS: [
      'style',
      'script',
      'iframe',
      'object',
      'embed',
      'form',
      'svg',
      'math',
      'link',
      'meta',
      'base',
    ],
    FORBID_ATTR: ['style', 'srcset', 'formaction', 'xlink:href', 'action', 'background', 'poster'],
  });
}

let currentOrigin = 'null';
