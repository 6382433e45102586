// Statement completeness and splitting, checked against SQLite's rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBlank, isComplete, splitStatements } from '../../core/src/engine/statements.ts';

describe('isComplete', () => {
  it('needs a semicolon outside quotes and comments', () => {
    assert.equal(isComplete('SELECT 1;'), true);
    assert.equal(isComplete('SELECT 1'), false);
    assert.equal(isComplete('SELECT 1;  -- done'), true);
    assert.equal(isComplete("SELECT ';'"), false);
    assert.equal(isComplete("SELECT 'it''s;'"), false);
    assert.equal(isComplete("SELECT 'it''s';"), true);
    assert.equal(isComplete('SELECT "a;b"'), false);
    assert.equal(isComplete('SELECT [a;b]'), false);
    assert.equal(isComplete('SELECT `a;b`;'), true);
    assert.equal(isComplete('SELECT 1 /* ; */'), false);
    assert.equal(isComplete('SELECT 1 /* open ;'), false);
    assert.equal(isComplete('SELECT 1 -- ;'), false);
    assert.equal(isComplete('SELECT 1 -- x\n;'), true);
    assert.equal(isComplete(';'), true);
    assert.equal(isComplete(''), false);
  });

  it('keeps a trigger body open until END;', () => {
    const head = 'CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;';
    assert.equal(isComplete(head), false);
    assert.equal(isComplete(`${head} SELECT 2;`), false);
    assert.equal(isComplete(`${head} END`), false);
    assert.equal(isComplete(`${head} END;`), true);
    assert.equal(isComplete('EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;'), true);
    // "end" and "create" as ordinary words do not open a trigger
    assert.equal(isComplete('SELECT create_time, end FROM x;'), true);
  });
});

describe('splitStatements', () => {
  it('splits at statement-ending semicolons', () => {
    assert.deepEqual(splitStatements("SELECT 1; SELECT ';' ;\nSELECT 3"), [
      'SELECT 1;',
      "SELECT ';' ;",
      'SELECT 3',
    ]);
  });

  it('drops empty statements and pure comments', () => {
    assert.deepEqual(splitStatements(';; -- c\n; /* x */ SELECT 1;'), ['/* x */ SELECT 1;']);
    assert.deepEqual(splitStatements('  -- only a comment'), []);
  });

  it('keeps a trigger as one statement', () => {
    const t = 'CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END;';
    assert.deepEqual(splitStatements(`${t} SELECT 3;`), [t, 'SELECT 3;']);
  });
});

describe('isBlank', () => {
  it('whitespace and comments only', () => {
    assert.equal(isBlank('  \t'), true);
    assert.equal(isBlank('-- hi'), true);
    assert.equal(isBlank('/* a */ -- b\n  '), true);
    assert.equal(isBlank('/* open'), false);
    assert.equal(isBlank('x'), false);
  });
});
