// Unit tests of what the countdown shows while setting up: `jlpm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { phaseOf } = require('../lib-test/phase.js');

const config = (over = {}) => ({
  configured: true,
  instance_id: 'DE-1',
  missing: [],
  ...over
});
const err = (code, { status = 500, serverMissing = false } = {}) => ({
  code,
  unreachable: status === 0,
  serverMissing
});
const state = (over = {}, phase = 'running') => ({
  instance: { id: 'DE-1', status: 'RUNNING' },
  phase,
  auto_stop: { enable: true, kind: 'countdown', stop_timestamp: 1, ...over }
});

test('a 404 that is not ours: the server part is not loaded, whatever else is known', () => {
  const missing = err('HTTP 404', { status: 404, serverMissing: true });
  assert.equal(phaseOf(missing, null, null, null), 'server-missing');
  assert.equal(phaseOf(missing, config(), state(), 60), 'server-missing');
});

test('only the instance missing: choose it; anything else missing: not configured', () => {
  const unset = config({
    configured: false,
    instance_id: null,
    missing: ['instance_id']
  });
  assert.equal(phaseOf(null, unset, null, null), 'choose');
  assert.equal(
    phaseOf(err('DEVENV.NOT_CONFIGURED'), unset, null, null),
    'choose'
  );
  const noKeys = config({
    configured: false,
    instance_id: null,
    missing: ['instance_id', 'access_key+secret_key']
  });
  assert.equal(phaseOf(null, noKeys, null, null), 'unconfigured');
  assert.equal(
    phaseOf(
      null,
      config({ configured: false, missing: ['endpoint'] }),
      null,
      null
    ),
    'unconfigured'
  );
  // The server says not configured before its config is read.
  assert.equal(
    phaseOf(err('DEVENV.NOT_CONFIGURED'), null, null, null),
    'unconfigured'
  );
});

test('other errors: unreachable or error when there is no state to keep', () => {
  assert.equal(
    phaseOf(err('NETWORK', { status: 0 }), config(), null, null),
    'unreachable'
  );
  assert.equal(phaseOf(err('ModelArts.6200'), config(), null, null), 'error');
  // Our own JSON 404 (an unknown instance, say) is an error, not a missing server part.
  assert.equal(
    phaseOf(err('ModelArts.6309', { status: 404 }), config(), null, null),
    'error'
  );
});

test('a failed read keeps the last state (counted on, unconfirmed) unless the instance is gone or the server is', () => {
  assert.equal(
    phaseOf(err('ModelArts.6200'), config(), state(), 60),
    'counting'
  );
  assert.equal(
    phaseOf(
      err('DEVENV.UPSTREAM_UNREACHABLE', { status: 502 }),
      config(),
      state(),
      60,
      5
    ),
    'counting'
  );
  assert.equal(
    phaseOf(
      err('DEVENV.UPSTREAM_UNREACHABLE', { status: 502 }),
      config(),
      state(),
      0,
      5
    ),
    'due'
  );
  // One network failure may be a glitch; two: the Jupyter server is gone.
  assert.equal(
    phaseOf(err('NETWORK', { status: 0 }), config(), state(), 60, 1),
    'counting'
  );
  assert.equal(
    phaseOf(err('NETWORK', { status: 0 }), config(), state(), 60, 2),
    'unreachable'
  );
  // The instance is gone: its countdown is no longer true.
  assert.equal(
    phaseOf(err('ModelArts.6309', { status: 400 }), config(), state(), 60),
    'error'
  );
  assert.equal(
    phaseOf(
      err('DEVENV.INSTANCE_NOT_FOUND', { status: 404 }),
      config(),
      state(),
      60
    ),
    'error'
  );
});

test('a configured instance: loading, then what its state says', () => {
  assert.equal(phaseOf(null, config(), null, null), 'loading');
  assert.equal(phaseOf(null, null, null, null), 'loading');
  assert.equal(phaseOf(null, config(), state(), 60), 'counting');
  assert.equal(phaseOf(null, config(), state(), 0), 'due');
  assert.equal(phaseOf(null, config(), state(), null), 'unknown');
  assert.equal(
    phaseOf(
      null,
      config(),
      state({ kind: 'unknown', stop_timestamp: null }),
      null
    ),
    'unknown'
  );
  assert.equal(
    phaseOf(null, config(), state({ enable: false, kind: 'off' }), null),
    'off'
  );
});

test('the lease type: a stop when idle is no countdown, whatever stop time is given', () => {
  assert.equal(
    phaseOf(
      null,
      config(),
      state({ kind: 'idle', type: 'IDLE', stop_timestamp: 1 }),
      null
    ),
    'idle'
  );
  assert.equal(
    phaseOf(null, config(), state({ kind: 'idle', type: 'IDLE' }), 60),
    'idle'
  );
});

test("every status but running is not running, by the State's phase (the label says which)", () => {
  for (const phase of [
    'starting',
    'stopping',
    'saving',
    'stopped',
    'failed',
    'frozen',
    'deleted',
    'unknown'
  ]) {
    assert.equal(
      phaseOf(
        null,
        config(),
        state({ kind: 'not_running', stop_timestamp: null }, phase),
        null
      ),
      'stopped'
    );
  }
  // An IDLE lease of a stopped instance: stopped, not "stops when idle".
  assert.equal(
    phaseOf(null, config(), state({ kind: 'idle' }, 'stopped'), null),
    'stopped'
  );
});
