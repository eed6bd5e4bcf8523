import { describe, expect, it } from 'vitest';
import { formatBytes, hasEditor, viewerFor } from './fileKind';

describe('viewerFor', () => {
  it('never gives binary bytes an editor, whatever the name', () => {
    expect(viewerFor({ binary: true, mediaType: 'image/png' }, 'a.png')).toBe('image');
    expect(viewerFor({ binary: true, mediaType: 'image/webp' }, 'noext')).toBe('image');
    expect(viewerFor({ binary: true, mediaType: 'application/octet-stream' }, 'notes.txt')).toBe(
      'binary',
    );
    expect(viewerFor({ binary: true, mediaType: 'application/pdf' }, 'a.md')).toBe('binary');
    expect(hasEditor('image')).toBe(false);
    expect(hasEditor('binary')).toBe(false);
  });

  it('gives text an editor, with a preview for Markdown and SVG', () => {
    expect(viewerFor({ binary: false, mediaType: 'text/plain' }, 'a.ts')).toBe('text');
    expect(viewerFor({ binary: false, mediaType: 'text/plain' }, 'README.md')).toBe('markdown');
    expect(viewerFor({ binary: false, mediaType: 'image/svg+xml' }, 'logo.svg')).toBe('svg');
    // Text named like an image is still text.
    expect(viewerFor({ binary: false, mediaType: 'text/plain' }, 'x.png')).toBe('text');
    expect(hasEditor('svg') && hasEditor('markdown') && hasEditor('text')).toBe(true);
  });
});

describe('formatBytes', () => {
  it('reads as people say sizes', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1_258_291)).toBe('1.2 MB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
  });
});
