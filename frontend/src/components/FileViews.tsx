import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import { formatBytes } from '../modules/fileKind';
import { renderMarkdown } from '../modules/markdown';
import { basename, dirname, join } from '../modules/paths';

function useObjectUrl(blob: Blob | null): string | null {
  const url = useMemo(() => (blob ? URL.createObjectURL(blob) : null), [blob]);
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  return url;
}

/**
 * An image shown from a blob URL: an SVG loaded by <img> never runs its scripts, and nothing is
 * fetched from the IDE's origin.
 */
export function ImagePreview({
  path,
  blob,
  onDownload,
}: {
  path: string;
  blob: Blob;
  onDownload?(): void;
}) {
  const url = useObjectUrl(blob);
  const [dims, setDims] = useState<{ w: number; h: number } | null>(null);
  const [broken, setBroken] = useState(false);
  return (
    <div className="file-view image-view" data-testid="image-preview">
      <div className="file-view-info">
        <span>{basename(path)}</span>
        <span>{formatBytes(blob.size)}</span>
        {dims ? (
          <span data-testid="image-dimensions">
            {dims.w} × {dims.h} px
          </span>
        ) : null}
        {onDownload ? (
          <button className="link" onClick={onDownload}>
            Download
          </button>
        ) : null}
      </div>
      <div className="image-stage">
        {broken ? (
          <p className="muted">This image cannot be shown.</p>
        ) : url ? (
          <img
            src={url}
            alt={basename(path)}
            onLoad={(e) =>
              setDims({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })
            }
            onError={() => setBroken(true)}
          />
        ) : null}
      </div>
    </div>
  );
}

/** What a tab shows for bytes that are not text and not an image the browser can show. */
export function BinaryNotice({
  path,
  size,
  onDownload,
}: {
  path: string;
  size: number;
  onDownload(): void;
}) {
  return (
    <div className="file-view binary-view" data-testid="binary-file">
      <p>
        <strong>{basename(path)}</strong>
      </p>
      <p>Binary file — {formatBytes(size)}</p>
      <p className="muted">It is not shown as text, so it cannot be damaged by an edit.</p>
      <button onClick={onDownload}>Download</button>
    </div>
  );
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/|\/|#)/i;

/**
 * Markdown rendered like the chat's (sanitized), with images that are files of the project shown
 * from blob URLs; every other image is dropped, so the preview makes no requests of its own.
 */
export function MarkdownPreview({
  projectId,
  path,
  text,
}: {
  projectId: string;
  path: string;
  text: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const html = useMemo(() => {
    // Parsed in an inert document, so no image loads before its source is replaced.
    const doc = new DOMParser().parseFromString(renderMarkdown(text), 'text/html');
    doc.querySelectorAll('img').forEach((img) => {
      const src = img.getAttribute('src') ?? '';
      img.removeAttribute('src');
      if (!src || EXTERNAL.test(src.trim())) {
        const span = doc.createElement('span');
        span.className = 'md-blocked-image';
        span.textContent = `[image not shown${img.alt ? `: ${img.alt}` : ''}]`;
        img.replaceWith(span);
      } else img.setAttribute('data-project-src', src.trim());
    });
    return doc.body.innerHTML;
  }, [text]);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    root.innerHTML = html;
    const urls: string[] = [];
    let live = true;
    root.querySelectorAll<HTMLImageElement>('img[data-project-src]').forEach((img) => {
      const rel = decodeURI(img.dataset.projectSrc ?? '').split(/[?#]/)[0];
      const target = normalize(join(dirname(path), rel));
      if (target === null) return img.remove();
      api.openFile(projectId, target).then(
        (f) => {
          if (!live) return;
          const url = URL.createObjectURL(f.blob);
          urls.push(url);
          img.src = url;
        },
        () =>
          img.replaceWith(
            Object.assign(document.createElement('span'), {
              className: 'md-blocked-image',
              textContent: `[image not found: ${rel}]`,
            }),
          ),
      );
    });
    return () => {
      live = false;
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [html, path, projectId]);
  return <div className="md md-preview" ref={ref} data-testid="markdown-preview" />;
}

/** Resolves "." and ".." in a project path; null when it would leave the project. */
export function normalize(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (!out.length) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}
