// Requests whose framing or routing headers two parsers could read differently are refused before
// anything is forwarded (request smuggling, RFC 9112 6.1 and 6.3). Node 20's parser (llhttp,
// strict) already rejects Content-Length with Transfer-Encoding, duplicate or malformed
// Content-Length, "chunked, chunked", Transfer-Encoding in two lines, unknown codings without
// chunked, whitespace before the colon, obs-fold, bare LF and NUL. Measured, it accepts these four,
// which this guard closes:
//  - more than one Host header (RFC 9112 3.2: must be answered with 400),
//  - a coding list ending in chunked, e.g. "gzip, chunked" (we cannot re-frame it faithfully),
//  - Transfer-Encoding in an HTTP/1.0 request (RFC 9112 6.1: the framing is faulty),
//  - an absolute-form target ("GET http://other/ HTTP/1.1") whose host can disagree with Host.
// test/integration/framing.test.ts sends each case over a raw socket.
export function framingProblem(raw: readonly string[], httpVersion: string, url: string): string | undefined {
  let hosts = 0;
  let transferEncodings = 0;
  let te: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      transferEncodings++;
      te = raw[i + 1];
    }
  }
  if (hosts > 1) return 'more than one Host header';
  if (transferEncodings > 1) return 'more than one Transfer-Encoding header';
  if (te !== undefined) {
    if (te.trim().toLowerCase() !== 'chunked') return `unsupported Transfer-Encoding "${te}"`;
    if (httpVersion === '1.0') return 'Transfer-Encoding in an HTTP/1.0 request';
  }
  if (url.charCodeAt(0) !== 47 /* / */ && url !== '*') return 'absolute-form or authority-form request target';
  return undefined;
}
