// Unit tests of the pure modules (no DOM, no Jupyter): `jlpm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const format = require('../lib-test/format.js');
const settings = require('../lib-test/settings.js');
const { ClockOffset } = require('../lib-test/clockOffset.js');
const durations = require('../lib-test/durations.js');

test('formatHMS', () => {
  assert.equal(format.formatHMS(0), '0:00:00');
  assert.equal(format.formatHMS(59.9), '0:00:59');
  assert.equal(format.formatHMS(3600), '1:00:00');
  assert.equal(format.formatHMS(3 * 86400 + 61), '72:01:01');
  assert.equal(format.formatHMS(-5), '0:00:00');
});

test('urgencyLevel and crossedThreshold', () => {
  const t = [900, 300, 60];
  assert.equal(format.urgencyLevel(1000, t), 0);
  assert.equal(format.urgencyLevel(900, t), 1);
  assert.equal(format.urgencyLevel(299, t), 2);
  assert.equal(format.urgencyLevel(10, t), 3);
  assert.equal(format.crossedThreshold(1000, t), null);
  assert.equal(format.crossedThreshold(880, t), 900);
  assert.equal(format.crossedThreshold(200, t), 300);
  assert.equal(format.crossedThreshold(30, t), 60);
});

test('effectiveSettings: user settings, else the server config, else defaults', () => {
  const config = {
    reminder_thresholds: [60, 900, 300],
    poll_interval: 10,
    save_before_stop: 30
  };
  assert.deepEqual(settings.effectiveSettings({}, null), settings.DEFAULTS);
  assert.deepEqual(
    settings.effectiveSettings({ reminderThresholds: [] }, config)
      .reminderThresholds,
    []
  );
  assert.deepEqual(settings.effectiveSettings({}, config), {
    reminderThresholds: [900, 300, 60],
    pollInterval: 10,
    saveBeforeStop: 30,
    notify: true,
    title: true
  });
  assert.deepEqual(
    settings.effectiveSettings(
      {
        reminderThresholds: [120],
        pollInterval: 5,
        saveBeforeStop: 0,
        notify: false,
        title: false
      },
      config
    ),
    {
      reminderThresholds: [120],
      pollInterval: 5,
      saveBeforeStop: 0,
      notify: false,
      title: false
    }
  );
  // Nonsense falls back.
  assert.deepEqual(
    settings.effectiveSettings(
      { reminderThresholds: ['x', -1], pollInterval: 0, saveBeforeStop: -3 },
      null
    ),
    {
      reminderThresholds: settings.DEFAULTS.reminderThresholds,
      pollInterval: 30,
      saveBeforeStop: 60,
      notify: true,
      title: true
    }
  );
});

test('ClockOffset: mid-request samples averaged, a jump starts afresh', () => {
  const c = new ClockOffset(4, 2000);
  assert.equal(c.value, 0);
  c.add(10_500, 0, 1000); // server 10 s ahead, sampled at the middle of the request
  assert.equal(c.value, 10_000);
  c.add(11_400, 1000, 1000);
  assert.equal(c.value, 10_200);
  c.add(3_600_000 + 2000, 2000, 2000); // the server clock moved by an hour
  assert.equal(c.value, 3_600_000);
  c.add(Number.NaN, 0, 0);
  assert.equal(c.value, 3_600_000);
});

test('autoStopDuration clamps to the API range', () => {
  assert.equal(durations.autoStopDuration(null), 3600);
  assert.equal(durations.autoStopDuration(60), 3600);
  assert.equal(durations.autoStopDuration(7200), 7200);
  assert.equal(durations.autoStopDuration(999999), 86400);
});

test('offered durations stay within the API ranges', () => {
  assert.deepEqual(
    durations.AUTO_STOP_DURATIONS.map(s => s / 3600),
    Array.from({ length: 24 }, (_, i) => i + 1)
  );
  assert.ok(
    durations.EXTEND_DURATIONS.every(
      s => s >= 3600 && s <= 259200 && s % 3600 === 0
    )
  );
  assert.equal(durations.EXTEND_DURATIONS.at(-1), 259200);
});

test('toastText: at most 140 characters, cut after a word or a clause, never inside one', () => {
  const { toastText } = format;
  assert.equal(toastText('short'), 'short');
  const long = 'Error ModelArts.0000: ' + 'word '.repeat(40) + 'end';
  const cut = toastText(long);
  assert.ok(cut.length <= 140, cut.length);
  assert.ok(cut.endsWith('word…'), cut);
  const zh = '实例将在所选时长后自动停止，'.repeat(12);
  const zhCut = toastText(zh);
  assert.ok(zhCut.length <= 140 && zhCut.endsWith('停止…'), zhCut);
});

test('formatLocalTime: short drops the seconds', () => {
  const at = new Date(2026, 0, 2, 15, 4, 5).getTime();
  assert.equal(format.formatLocalTime(at, 'en-GB', at), '15:04:05');
  assert.equal(format.formatLocalTime(at, 'en-GB', at, true), '15:04');
});
