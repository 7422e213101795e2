import { ServerConnection } from '@jupyterlab/services';

import { IErrorBody } from './types';

/** Path of the REST API under the server's base URL. */
export const API_NAMESPACE = 'devenv/api';

/**
 * An error from the REST API, or a failure to reach it.
 *
 * `status` is 0 when the server could not be reached at all.
 */
export class DevEnvError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string
  ) {
    super(message);
    this.name = 'DevEnvError';
  }

  /** True when the Jupyter server itself did not answer. */
  get unreachable(): boolean {
    return this.status === 0;
  }

  /**
   * True for a 404 without our JSON error body (`code` is then `HTTP 404`):
   * Jupyter itself answered, so the server extension is not loaded (installed,
   * Jupyter not restarted). Our handlers answer every path under `devenv/api/`
   * with `{"error_code": ...}`.
   */
  get serverMissing(): boolean {
    return this.code === 'HTTP 404';
  }
}

/**
 * Call the server extension's REST API (`{baseUrl}devenv/api/{endPoint}`).
 *
 * Answers with the parsed JSON body; throws a `DevEnvError` carrying the
 * API's `error_code` and `error_msg` otherwise.
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = `${settings.baseUrl.replace(/\/?$/, '/')}${API_NAMESPACE}/${endPoint}`;
  if (init.body !== undefined) {
    init.headers = { 'Content-Type': 'application/json', ...init.headers };
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (reason) {
    throw new DevEnvError(
      0,
      'NETWORK',
      String((reason as Error)?.message ?? reason)
    );
  }
  const text = await response.text().catch(() => '');
  let data: any = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const body = (data ?? {}) as Partial<IErrorBody>;
    throw new DevEnvError(
      response.status,
      typeof body.error_code === 'string'
        ? body.error_code
        : `HTTP ${response.status}`,
      body.error_msg ?? (response.statusText || text.slice(0, 200)),
      body.field
    );
  }
  if (data === null && response.status !== 204) {
    throw new DevEnvError(
      response.status,
      'BAD_RESPONSE',
      'The server answered without a JSON body.'
    );
  }
  return data as T;
}
