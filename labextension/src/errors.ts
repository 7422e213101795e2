import { ITrans } from './i18n';
import { IErrorBody } from './types';

/**
 * The error codes the front end acts on. The server's own are `DEVENV.*`
 * (`jupyter_devenv/modelarts/codes.py`); ModelArts's pass through as they are.
 */
export const ErrorCode = {
  /** The Jupyter server could not be reached at all (status 0). */
  network: 'NETWORK',
  badResponse: 'BAD_RESPONSE',
  notConfigured: 'DEVENV.NOT_CONFIGURED',
  extendUnsupported: 'DEVENV.EXTEND_UNSUPPORTED',
  extendEarlier: 'DEVENV.EXTEND_EARLIER',
  unsupported: 'DEVENV.UNSUPPORTED',
  upstreamUnreachable: 'DEVENV.UPSTREAM_UNREACHABLE',
  upstreamTimeout: 'DEVENV.UPSTREAM_TIMEOUT',
  instanceNotFound: 'DEVENV.INSTANCE_NOT_FOUND',
  holdNotFound: 'DEVENV.HOLD_NOT_FOUND',
  /** ModelArts: characters the description may not hold. */
  badCharacters: 'ModelArts.6334',
  /** ModelArts: a value out of its range (the field says which). */
  badValue: 'ModelArts.6336',
  badDurationLow: 'ModelArts.6348',
  badDurationHigh: 'ModelArts.6349',
  instanceMissing: 'ModelArts.6309',
  rateLimited: 'APIGW.0308'
} as const;

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

/** The error of a failed answer: the API's `{error_code, error_msg, field}`, else the HTTP status. */
export function fromResponse(response: Response, text: string): DevEnvError {
  let body: Partial<IErrorBody> = {};
  try {
    body = JSON.parse(text) ?? {};
  } catch {
    // Not ours (a proxy's page, Jupyter's own 404): the status says it.
  }
  return new DevEnvError(
    response.status,
    typeof body.error_code === 'string'
      ? body.error_code
      : `HTTP ${response.status}`,
    body.error_msg ?? (response.statusText || text.slice(0, 200)),
    body.field
  );
}

/** `reason` as a DevEnvError: as it is, or a failure to reach the server. */
export function asDevEnvError(reason: unknown): DevEnvError {
  return reason instanceof DevEnvError
    ? reason
    : new DevEnvError(
        0,
        ErrorCode.network,
        String((reason as Error)?.message ?? reason)
      );
}

/** What to do when settings are missing. */
export function notConfiguredStep(trans: ITrans): string {
  return trans.__(
    'Set them in the server configuration (c.DevEnv.*) or the environment, then restart Jupyter.'
  );
}

/**
 * What the user can do about an error, by the API's code (ModelArts codes pass
 * through the server extension; local validation answers with the same ones).
 */
export function nextStep(err: DevEnvError, trans: ITrans): string {
  const code = err.code;
  const field = err.field ?? '';
  if (err.unreachable) {
    return trans.__(
      'The Jupyter server does not answer. Your instance may have stopped; save your work locally if you can.'
    );
  }
  switch (code) {
    case ErrorCode.notConfigured:
      return notConfiguredStep(trans);
    case ErrorCode.badCharacters:
      return trans.__(
        'Remove the characters the API does not allow (& < > " \' /) and save again.'
      );
    case ErrorCode.extendUnsupported:
      return trans.__(
        'Set the duration for the next start, or turn auto-stop off to keep the instance running.'
      );
    case ErrorCode.extendEarlier:
      return trans.__(
        'Nothing was changed: choose a longer time, or confirm that the instance may stop sooner.'
      );
    case ErrorCode.unsupported:
      return trans.__('Make this change in the ModelArts console.');
    case ErrorCode.upstreamUnreachable:
    case ErrorCode.upstreamTimeout:
      return trans.__(
        'ModelArts did not answer: this page keeps trying, and counts on to the last stop time it gave.'
      );
    case ErrorCode.instanceMissing:
    case ErrorCode.instanceNotFound:
      return trans.__(
        'Choose another instance, or check the instance id in the server configuration.'
      );
  }
  if (
    code === ErrorCode.badDurationLow ||
    code === ErrorCode.badDurationHigh ||
    (code === ErrorCode.badValue && field.includes('duration'))
  ) {
    return trans.__('Choose a duration between 1 and 24 hours and try again.');
  }
  if (code === ErrorCode.badValue) {
    return trans.__('Check the value and try again.');
  }
  if (err.status === 429 || code === ErrorCode.rateLimited) {
    return trans.__('Too many requests: wait a moment, then try again.');
  }
  if (err.status === 403 && !code.includes('HTTP')) {
    return ''; // ModelArts refused: its message names the permission and who grants it.
  }
  if (err.status === 401 || err.status === 403) {
    return trans.__(
      'The request was refused: check the credentials in the server configuration, or reload the page.'
    );
  }
  return trans.__('Try again later; if it persists, check the server log.');
}

/** `Error CODE: message` and what to do next: the one explanation of an error every view and toast gives. */
export function explainError(err: DevEnvError, trans: ITrans): string {
  return `${trans.__('Error %1: %2', err.code, err.message)} ${nextStep(err, trans)}`.trim();
}
