import { ServerConnection } from '@jupyterlab/services';

import { asDevEnvError, DevEnvError, ErrorCode, fromResponse } from './errors';

/** Path of the REST API under the server's base URL. */
export const API_NAMESPACE = 'devenv/api';

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
    throw asDevEnvError(reason);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw fromResponse(response, text);
  }
  if (response.status === 204) {
    return null as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DevEnvError(
      response.status,
      ErrorCode.badResponse,
      'The server answered without a JSON body.'
    );
  }
}
