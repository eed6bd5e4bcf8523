import type { Problem as DocumentedProblem } from './types';

// A body from a proxy or a crashed hop may lack any documented field, so none is taken on trust.
type Problem = Partial<DocumentedProblem>;

/** An error answer from the API, carrying the RFC 9457 problem when there was one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  readonly requestId: string | null;

  constructor(
    status: number,
    problem: Problem | null,
    requestId: string | null,
    fallback?: string,
  ) {
    super(problemMessage(status, problem, fallback));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.requestId = problem?.requestId ?? requestId;
  }
}

function problemMessage(status: number, problem: Problem | null, fallback?: string): string {
  if (problem?.detail && problem.detail.trim()) return problem.detail;
  if (problem?.title && problem.title.trim()) return problem.title;
  if (fallback) return fallback;
  return statusText(status);
}

function statusText(status: number): string {
  switch (status) {
    case 0:
      return 'The server could not be reached. Check your connection and try again.';
    case 400:
      return 'The request was not valid.';
    case 401:
      return 'Your session has ended. Please sign in again.';
    case 403:
      return 'You are not allowed to do that.';
    case 404:
      return 'Not found.';
    case 409:
      return 'That conflicts with the current state.';
    case 412:
      return 'The file changed on the server since you opened it.';
    case 413:
      return 'That is too large.';
    case 429:
      return 'Too many requests. Please wait a moment.';
    default:
      return status >= 500
        ? `The server had a problem (HTTP ${status}). Try again shortly.`
        : `Request failed (HTTP ${status}).`;
  }
}

/** Reads a problem document from a response body; never throws, never returns raw JSON to show. */
export function parseProblem(body: string, contentType: string | null): Problem | null {
  if (!body) return null;
  const looksJson = (contentType ?? '').includes('json') || body.trimStart().startsWith('{');
  if (!looksJson) return null;
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
      return {
        type: str('type'),
        title: str('title'),
        status: typeof v.status === 'number' ? v.status : undefined,
        detail: str('detail') ?? str('message'),
        instance: str('instance'),
        requestId: str('requestId'),
      };
    }
  } catch {
    /* not JSON after all */
  }
  return null;
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body = '';
  try {
    body = await res.text();
  } catch {
    /* ignore */
  }
  return new ApiError(
    res.status,
    parseProblem(body, res.headers.get('content-type')),
    res.headers.get('x-request-id'),
  );
}

/** A sentence for the user from anything thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof DOMException && error.name === 'AbortError') return 'Cancelled.';
  if (error instanceof TypeError)
    return 'The server could not be reached. Check your connection and try again.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
