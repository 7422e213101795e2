// Unit tests of the description rules the panel checks as the user types: `jlpm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const {
  checkDescription,
  DESCRIPTION_MAX,
  FORBIDDEN_DESCRIPTION_CHARS
} = require('../lib-test/descriptionRules.js');

test('the seed rules: 512 characters, none of & < > " \' /', () => {
  assert.equal(DESCRIPTION_MAX, 512);
  assert.deepEqual(FORBIDDEN_DESCRIPTION_CHARS, ['&', '<', '>', '"', "'", '/']);
});

test('valid descriptions', () => {
  for (const value of [
    '',
    'Week 12: training run',
    'x'.repeat(512),
    '中文描述',
    'a\\b (c) [d] {e} #1 @x 50% ~ ; = + *'
  ]) {
    const check = checkDescription(value);
    assert.equal(check.valid, true, value);
    assert.deepEqual(check.forbidden, []);
    assert.equal(check.over, 0);
  }
});

test('forbidden characters are named once each, in the rule order', () => {
  const check = checkDescription('a/b <c> & "d" \'e\' //');
  assert.equal(check.valid, false);
  assert.deepEqual(check.forbidden, ['&', '<', '>', '"', "'", '/']);
  assert.deepEqual(checkDescription('x/y/z').forbidden, ['/']);
});

test('length counts characters as the API does (code points, like Python len)', () => {
  assert.equal(checkDescription('x'.repeat(513)).over, 1);
  assert.equal(checkDescription('x'.repeat(513)).valid, false);
  // An emoji is one character for the API, two UTF-16 units for JavaScript.
  const emoji = '\u{1F680}'.repeat(512);
  assert.equal(emoji.length, 1024);
  assert.equal(checkDescription(emoji).length, 512);
  assert.equal(checkDescription(emoji).valid, true);
  assert.equal(checkDescription(emoji + 'x').over, 1);
});
