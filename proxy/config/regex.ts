// The one place a configured pattern becomes a RegExp. logprox configs are written for Rust's
// regex crate, where a leading inline-flag group such as (?i) is common; JavaScript has no inline
// flags, so a leading group of i/m/s is turned into RegExp flags.
const LEADING_FLAGS = /^\(\?([ims]+)\)/;

export function toRegExp(pattern: string): RegExp {
  const m = LEADING_FLAGS.exec(pattern);
  return m ? new RegExp(pattern.slice(m[0].length), [...new Set(m[1])].join('')) : new RegExp(pattern);
}

export function isValidPattern(pattern: string): boolean {
  try {
    toRegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
