import { DevEnvError } from './handler';
import { ITrans } from './i18n';

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
    case 'DEVENV.NOT_CONFIGURED':
      return notConfiguredStep(trans);
    case 'ModelArts.6334':
      return trans.__(
        'Remove the characters the API does not allow (& < > " \' /) and save again.'
      );
    case 'DEVENV.EXTEND_UNSUPPORTED':
      return trans.__(
        'Set the duration for the next start, or turn auto-stop off to keep the instance running.'
      );
    case 'DEVENV.EXTEND_EARLIER':
      return trans.__(
        'Nothing was changed: choose a longer time, or confirm that the instance may stop sooner.'
      );
    case 'DEVENV.UNSUPPORTED':
      return trans.__('Make this change in the ModelArts console.');
    case 'DEVENV.UPSTREAM_UNREACHABLE':
    case 'DEVENV.UPSTREAM_TIMEOUT':
      return trans.__(
        'ModelArts did not answer: this page keeps trying, and counts on to the last stop time it gave.'
      );
    case 'ModelArts.6309':
    case 'DEVENV.INSTANCE_NOT_FOUND':
      return trans.__(
        'Choose another instance, or check the instance id in the server configuration.'
      );
  }
  if (
    code === 'ModelArts.6348' ||
    code === 'ModelArts.6349' ||
    (code === 'ModelArts.6336' && field.includes('duration'))
  ) {
    return trans.__('Choose a duration between 1 and 24 hours and try again.');
  }
  if (code === 'ModelArts.6336') {
    return trans.__('Check the value and try again.');
  }
  if (err.status === 429 || code === 'APIGW.0308') {
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
