// Math functions (osquery's sqlite_math.cpp). They replace SQLite's built-in math
// functions of the same names: log() is the natural logarithm, ceil()/floor()
// return integers, and where glibc's libm would set errno the query fails with
// strerror's text.
import {
  argDouble,
  argInt64,
  type ScalarFunction,
  type SqlArg,
  type SqlResult,
  sqlError,
  sqlType,
} from './util.js';

const EDOM = 'Numerical argument out of domain';
const ERANGE = 'Numerical result out of range';

/** A libm call: the result, or the errno message glibc would leave. */
type LibmResult = number | { error: string };

const domain = { error: EDOM };
const range = { error: ERANGE };

function trig(f: (x: number) => number): (x: number) => LibmResult {
  return (x) => (Number.isFinite(x) ? f(x) : domain);
}

// expl() works in long double: it only overflows/underflows far beyond double's range.
const EXPL_MAX = 11356.5234062941;
const EXPL_MIN = -11355.137111933;

function logLike(f: (x: number) => number): (x: number) => LibmResult {
  return (x) => (x < 0 ? domain : x === 0 ? range : f(x));
}

const unary: Record<string, (x: number) => LibmResult> = {
  sqrt: (x) => (x < 0 ? domain : Math.sqrt(x)),
  acos: (x) => (x < -1 || x > 1 || Number.isNaN(x) ? domain : Math.acos(x)),
  asin: (x) => (x < -1 || x > 1 || Number.isNaN(x) ? domain : Math.asin(x)),
  atan: (x) => Math.atan(x),
  cos: trig(Math.cos),
  sin: trig(Math.sin),
  tan: trig(Math.tan),
  cot: trig((x) => 1.0 / Math.tan(x)),
  exp: (x) => (Number.isFinite(x) && (x > EXPL_MAX || x < EXPL_MIN) ? range : Math.exp(x)),
  log: logLike(Math.log),
  log10: logLike(Math.log10),
  degrees: (x) => (180.0 * x) / Math.PI,
  radians: (x) => (x * Math.PI) / 180.0,
};

/** glibc pow()'s errno cases: negative base to a fraction, zero to a negative, overflow, underflow to 0. */
function power(x: number, y: number): LibmResult {
  if (Number.isFinite(x) && x < 0 && Number.isFinite(y) && !Number.isInteger(y)) return domain;
  if (x === 0 && y < 0) return range;
  const r = x ** y;
  if (Number.isFinite(x) && Number.isFinite(y)) {
    if (!Number.isFinite(r)) return range;
    if (x !== 0 && r === 0) return range;
  }
  return r;
}

function settle(r: LibmResult): SqlResult {
  if (typeof r === 'number') return r;
  throw sqlError(r.error);
}

function unaryFunction(name: string, f: (x: number) => LibmResult): ScalarFunction {
  return {
    name,
    arity: 1,
    deterministic: true,
    fn: (x: SqlArg) => (x === null ? null : settle(f(argDouble(x)))),
  };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A C (int64_t) cast of a double; out-of-range values come out as INT64_MIN on x86-64. */
function toInt64(d: number): bigint {
  if (!Number.isFinite(d)) return INT64_MIN;
  const n = BigInt(Math.trunc(d));
  return n < INT64_MIN || n > INT64_MAX ? INT64_MIN : n;
}

/** ceil/floor: integers pass through, anything else goes through a double. */
function roundingFunction(name: string, f: (x: number) => number): ScalarFunction {
  return {
    name,
    arity: 1,
    deterministic: true,
    fn: (x: SqlArg) => {
      if (x === null) return null;
      if (sqlType(x) === 'integer') return argInt64(x);
      return toInt64(f(argDouble(x)));
    },
  };
}

export const mathFunctions: ScalarFunction[] = [
  ...Object.entries(unary).map(([name, f]) => unaryFunction(name, f)),
  {
    name: 'power',
    arity: 2,
    deterministic: true,
    fn: (x: SqlArg, y: SqlArg) =>
      x === null || y === null ? null : settle(power(argDouble(x), argDouble(y))),
  },
  roundingFunction('ceil', Math.ceil),
  roundingFunction('floor', Math.floor),
  { name: 'pi', arity: 0, deterministic: true, fn: () => Math.PI },
];
